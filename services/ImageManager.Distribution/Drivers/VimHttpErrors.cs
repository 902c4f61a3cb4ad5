using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Outbound;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.AspNetCore.WebUtilities;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// What an HTTP exchange with a VIM's service that failed means. No answer: a TLS certificate that the VIM's settings do
/// not accept will not be accepted on a retry either (rejected, saying why); anything else on the way (refused connection,
/// reset, name resolution) may pass (transient); an address this installation may not reach will not (rejected). A
/// refusal: 5xx, 408 and 429 may pass, others will not. A refusal is said as its status with the standard phrase (not the
/// peer's own) and, when the service answered its API's error document, the short message in it, made safe by
/// <see cref="OutsideText"/>: never the start of whatever page the address answered with, which may be another service's.
/// Each failure carries what it says of the VIM's health (<see cref="VimHealthReasons"/>).
/// </summary>
public static class VimHttpErrors
{
    /// <summary>How much of what a VIM's service said goes into an error: a reason, not a page.</summary>
    public const int MaxSaidLength = 200;

    /// <summary>Sends, and turns a failure to get any answer into a transient or rejected error naming <paramref name="service"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string service, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw Classify(service, request.RequestUri!, exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VimTransientException($"{service} at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} did not answer in time.", exception)
            {
                HealthReason = VimHealthReasons.Unreachable,
            };
        }
    }

    /// <summary>A refusal, by its status: transient (5xx, 408, 429) or rejected; 401 and 403 say the credentials were refused.</summary>
    public static Exception Refusal(HttpStatusCode status, string message)
    {
        var reason = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? VimHealthReasons.Authentication : VimHealthReasons.Refused;
        return (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            ? new VimTransientException(message) { HealthReason = reason }
            : new VimRejectedException(message) { HealthReason = reason };
    }

    /// <summary>The answer's status as <c>500 Internal Server Error</c>: the standard phrase, not the one the peer chose to send.</summary>
    public static string StatusOf(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        var phrase = ReasonPhrases.GetReasonPhrase(code);
        return phrase.Length == 0 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{code} {phrase}";
    }

    /// <summary>Something answered at the VIM's address, but not the API the VIM is registered as.</summary>
    public static VimRejectedException WrongApi(string message) => new(message) { HealthReason = VimHealthReasons.WrongApi };

    /// <summary>
    /// What a refusal's body says, made safe: what <paramref name="pick"/> finds in the service's JSON error document (and
    /// that it found it); null when the body is empty or not such a document (an HTML page, a proxy's text: not shown).
    /// Only the first <see cref="OutsideText.BodyReadLimit"/> bytes are read.
    /// </summary>
    public static async Task<(string? Said, bool FromDocument)> ReadSaidAsync(HttpResponseMessage response, Func<JsonObject, string?> pick,
        CancellationToken cancellationToken, int maxLength = MaxSaidLength)
    {
        var text = (await OutsideText.ReadStartAsync(response.Content, cancellationToken)).Trim();
        if (text.Length == 0)
        {
            return (null, false);
        }

        try
        {
            if (JsonNode.Parse(text) is JsonObject document && pick(document) is { } said)
            {
                return (OutsideText.Sanitise(said, maxLength), true);
            }
        }
        catch (JsonException)
        {
        }

        return (null, false);
    }

    /// <summary>A member's text, when it is a string.</summary>
    public static string? TextOf(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static Exception Classify(string service, Uri uri, HttpRequestException exception)
    {
        var where = $"{service} at {uri.GetLeftPart(UriPartial.Authority)}";
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException tls)
            {
                return new VimRejectedException($"TLS with {where} failed: {ReasonOf(tls, uri)}") { HealthReason = VimHealthReasons.Tls };
            }

            if (inner is RefusedAddressException refused)
            {
                return new VimRejectedException($"{where} is not reached: {refused.Message}") { HealthReason = VimHealthReasons.AddressRefused };
            }
        }

        return new VimTransientException($"{where} is unreachable: {WhatHappened(exception)}", exception) { HealthReason = VimHealthReasons.Unreachable };
    }

    /// <summary>
    /// The message, and the one under it when that says more: for a connection the VIM broke off, .NET says only "An error
    /// occurred while sending the request." and keeps "The response ended prematurely" (or "Connection reset by peer") inside.
    /// </summary>
    static string WhatHappened(HttpRequestException exception) =>
        exception.InnerException is IOException or System.Net.Sockets.SocketException && !exception.Message.Contains(exception.InnerException.Message, StringComparison.Ordinal)
            ? $"{exception.Message} ({exception.InnerException.Message})"
            : exception.Message;

    /// <summary>.NET names the failed checks in the message (SslPolicyErrors, X509ChainStatusFlags); say them in words.</summary>
    static string ReasonOf(AuthenticationException tls, Uri uri)
    {
        var said = tls.Message;
        bool Says(string check) => said.Contains(check, StringComparison.Ordinal);
        return Says("RemoteCertificateNameMismatch")
                ? $"its certificate is not valid for the host name '{uri.Host}' ({said})"
            : Says("NotTimeValid")
                ? $"its certificate has expired or is not valid yet ({said})"
            : Says("UntrustedRoot") || Says("PartialChain") || Says("RemoteCertificateChainErrors")
                ? $"its certificate is not trusted: no CA of the VIM's tls.caCertificates (or, without them, of this machine's trusted roots) issued it ({said})"
            : $"the TLS handshake failed ({said})";
    }
}
