using System.Net;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// A request body sent as it is, through a stream of ours laid over the transport (<c>wrap</c>): the handlers of a VIM's
/// connection see and pace every byte of any content (a file, a multipart form, JSON) without ever buffering it.
/// <c>sent</c> runs once the whole body has been handed over.
/// </summary>
public sealed class WrappedContent : HttpContent
{
    readonly HttpContent _inner;
    readonly Func<Stream, Stream> _wrap;
    readonly Action? _sent;

    public WrappedContent(HttpContent inner, Func<Stream, Stream> wrap, Action? sent = null)
    {
        (_inner, _wrap, _sent) = (inner, wrap, sent);
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await _inner.CopyToAsync(_wrap(stream), context, cancellationToken);
        _sent?.Invoke();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
