using System.Net;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Drivers.Keystone;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// The Glance v2 API of one VIM: where it is, how requests are authenticated, and what its failures mean.
/// Without Keystone (no identity URL) requests go to the VIM's endpoint as they are, as to our local Glance instances.
/// With Keystone they carry a token from <see cref="KeystoneTokenCache"/> and go to the public <c>image</c> endpoint of
/// the token's catalog, in the VIM's region when it has one; the VIM's endpoint is used when the catalog lists none there.
/// A 401 from Glance (token revoked, Keystone's keys rotated) renews the token once and repeats the request.
/// </summary>
public sealed class GlanceClient(VimConnection vim, KeystoneTokenCache keystone)
{
    static readonly System.Net.Http.Headers.MediaTypeWithQualityHeaderValue JsonMediaType = new("application/json");

    public VimConnection Vim { get; } = vim;

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="path"/> (relative to Glance's root, e.g. <c>v2/images</c>).
    /// <paramref name="content"/> makes the body, once per try. Unreachable or slow: transient; an unaccepted TLS
    /// certificate: rejected. The caller owns the answer.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken, Func<HttpContent>? content = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (endpoint, token) = await LocateAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, new Uri(endpoint, path)) { Content = content?.Invoke() };
            // Glance answers errors as its JSON document only when asked; else as an HTML page.
            request.Headers.Accept.Add(JsonMediaType);
            if (token is not null)
            {
                request.Headers.Add("X-Auth-Token", token.Value);
            }

            var response = await TransportAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized || token is null || attempt > 1)
            {
                return response;
            }

            response.Dispose();
            keystone.Forget(Vim, token);
        }
    }

    /// <summary>Glance's root URL for this VIM (ending in '/'), and the token to show it, if any.</summary>
    async Task<(Uri Endpoint, KeystoneToken? Token)> LocateAsync(CancellationToken cancellationToken)
    {
        if (Vim.Vim.IdentityUrl is null)
        {
            return (Vim.Vim.Endpoint, null);
        }

        var token = await keystone.GetAsync(Vim, cancellationToken);
        return token.EndpointOf("image", "public", Vim.Vim.Region) is { } listed ? (RootOf(listed), token) : (Vim.Vim.Endpoint, token);
    }

    /// <summary>Catalogs list Glance with or without its version (<c>http://glance:9292</c>, <c>.../v2</c>): the root either way.</summary>
    static Uri RootOf(Uri listed)
    {
        var text = listed.AbsoluteUri.TrimEnd('/');
        if (text.EndsWith("/v2", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^3];
        }

        return new Uri(text + "/");
    }

    Task<HttpResponseMessage> TransportAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        VimHttpErrors.SendAsync(Vim.Http, request, "Glance", cancellationToken);

    /// <summary>
    /// <c>POST v2/images/{id}/actions/{action}</c> (<c>deactivate</c>, <c>reactivate</c>; 204, and again 204 when the image
    /// is in that state already); false when Glance has no such image. A policy that keeps these actions to admins
    /// answers 403, a refusal.
    /// </summary>
    public async Task<bool> ImageActionAsync(string vimImageId, string action, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"v2/images/{vimImageId}/actions/{action}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, $"{action} image {vimImageId}", cancellationToken);
        return true;
    }

    /// <summary>A refusal as Glance said it: 5xx, 408 and 429 may pass (transient), other refusals will not (rejected).</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // Glance wraps errors as {"code":..,"title":..,"message":..}, keystonemiddleware as {"error":{"message":..}},
        // or as HTML; keep what a person can read.
        var (said, _) = await VimHttpErrors.ReadSaidAsync(response,
            json => (VimHttpErrors.TextOf(json["message"]) ?? VimHttpErrors.TextOf((json["error"] as JsonObject)?["message"]))?.Replace("<br />", " ", StringComparison.Ordinal),
            cancellationToken);
        throw VimHttpErrors.Refusal(response.StatusCode,
            $"Glance refused to {action}: {VimHttpErrors.StatusOf(response)}{(said is null ? "" : $": {said}")}");
    }
}
