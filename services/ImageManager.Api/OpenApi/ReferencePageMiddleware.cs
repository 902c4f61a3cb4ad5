using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ImageManager.Api.Protection;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// The API reference page's content security policy: its own scripts and styles and calls to this origin only, and the
/// one inline script the page is made with (its configuration), allowed by its SHA-256 rather than by allowing inline
/// scripts at all. The page is small; it is read whole to hash that script, then sent as it was.
/// </summary>
public sealed partial class ReferencePageMiddleware(RequestDelegate next)
{
    /// <summary>Styles inline too: the reference's components set theirs as they render (styles run no code).</summary>
    static string Policy(string scriptHashes) =>
        $"default-src 'none'; script-src 'self'{scriptHashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var response = context.Response;
        var original = response.Body;
        using var page = new MemoryStream();
        response.Body = page;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }

        var hashes = "";
        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length);
            hashes = string.Concat(InlineScript().Matches(html).Select(m => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["code"].Value)))}'"));
        }

        context.Items[SecurityHeadersMiddleware.PolicyItem] = Policy(hashes);
        page.Position = 0;
        await page.CopyToAsync(original, context.RequestAborted);
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>(?<code>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
