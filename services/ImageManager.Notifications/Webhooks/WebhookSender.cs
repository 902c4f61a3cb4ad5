using System.Net;
using System.Net.Http.Headers;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// Sends one delivery: the CloudEvent as it was published, signed, within <see cref="WebhookOptions.DeliveryTimeout"/>.
/// Redirects are not followed (a subscriber gives its final URL), so a delivery goes only where the URL says.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<WebhookOptions> options)
{
    public const string DeliveryHeader = "X-ImageManager-Delivery";
    public const string AttemptHeader = "X-ImageManager-Attempt";
    const int MaxReasonLength = 300;
    static readonly MediaTypeHeaderValue CloudEventsJson = new("application/cloudevents+json") { CharSet = "utf-8" };

    public async Task<DeliveryOutcome> SendAsync(string url, string secret, Guid deliveryId, int attempt, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = CloudEventsJson;
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Of(secret, body));
        request.Headers.Add(DeliveryHeader, deliveryId.ToString());
        request.Headers.Add(AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var timeout = options.Value.DeliveryTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryOutcome(true, status, null);
            }

            var said = await ReadReasonAsync(response, deadline.Token);
            var redirect = status is >= 300 and < 400 ? " (redirects are not followed: subscribe with the URL it points to)" : "";
            return new DeliveryOutcome(false, status, $"The subscriber answered {status} {response.ReasonPhrase}{redirect}{said}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, $"No answer within {timeout.TotalSeconds:0.###} s (Webhooks:DeliveryTimeout).");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryOutcome(false, null, $"Could not reach the subscriber: {Describe(e)}");
        }
    }

    /// <summary>
    /// What the subscriber said, made safe (<see cref="OutsideText"/>): its first few KiB, decoded as UTF-8 whatever its
    /// charset claims, so that binary, NUL bytes or a charset no one knows still make a reason that can be recorded.
    /// </summary>
    static async Task<string> ReadReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await OutsideText.ReadAsync(response.Content, MaxReasonLength, cancellationToken);
        return text.Length == 0 ? "" : $": {text}";
    }

    static string Describe(HttpRequestException e) =>
        e.InnerException is System.Net.Sockets.SocketException socket ? $"{socket.SocketErrorCode} ({e.Message})"
        : e.HttpRequestError == HttpRequestError.Unknown ? e.Message : $"{e.HttpRequestError}: {e.Message}";

    public static HttpMessageHandler CreateHandler(WebhookOptions options) => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.DeliveryTimeout,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = (context, cancellationToken) => WebhookAddresses.ConnectAsync(context, options.AllowPrivateAddresses, cancellationToken),
    };
}
