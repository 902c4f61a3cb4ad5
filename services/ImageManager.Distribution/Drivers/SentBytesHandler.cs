using System.Net.Http.Headers;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// Tells one upload how many bytes of image data went to the VIM as they go (each write the transport took): the target's
/// <c>bytesSent</c> while it uploads. It sits inside the bandwidth cap, which writes in slices of an eighth of a second's
/// worth, so even a slow capped upload moves the count several times a second. JSON bodies (create calls, manifests) are
/// the driver's talk, not the image, and are not counted.
/// </summary>
public sealed class SentBytesHandler(Action<int> sent) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && !IsJson(content.Headers.ContentType))
        {
            request.Content = new WrappedContent(content, transport => new ObservedWriteStream(transport, sent));
        }

        return base.SendAsync(request, cancellationToken);
    }

    static bool IsJson(MediaTypeHeaderValue? type) =>
        type?.MediaType is { } media && (media.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
