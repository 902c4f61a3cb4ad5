using System.Net;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Imports;

/// <summary>
/// Opens a <c>web-download</c> source. Redirects are followed by hand so that every hop is checked against the
/// allowed schemes and hosts; an automatic redirect could lead anywhere the network reaches.
/// </summary>
public sealed class WebDownloader(IHttpClientFactory httpClientFactory, IOptions<ImportOptions> options)
{
    public const string HttpClientName = "web-download";

    /// <summary>The response whose body is the image, after redirects, with a status of success; the caller disposes it.</summary>
    public async Task<HttpResponseMessage> OpenAsync(Uri source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var http = httpClientFactory.CreateClient(HttpClientName);
        var current = source;
        for (var hop = 0; ; hop++)
        {
            if (!settings.Allows(current))
            {
                throw new ImportRefusedException(hop == 0
                    ? $"{current} is not an allowed import source."
                    : $"{source} redirects to {current}, which is not an allowed import source.");
            }

            var response = await http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= settings.MaxRedirects)
                {
                    throw new ImportRefusedException($"{source} redirects more than {settings.MaxRedirects} times.");
                }

                current = new Uri(current, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                response.Dispose();
                throw new ImportRefusedException($"{current} answered {status}.");
            }

            if (response.Content.Headers.ContentLength > settings.MaxBytes)
            {
                var length = response.Content.Headers.ContentLength;
                response.Dispose();
                throw new ImportRefusedException($"{current} announces {length} bytes, more than the {settings.MaxBytes} an import may bring.");
            }

            return response;
        }
    }

    static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
