using System.Net;
using System.Text;

namespace ImageManager.Api.Tests.Binding;

/// <summary>A body sent without a Content-Length (chunked), as a client streaming JSON it has not measured sends it.</summary>
public sealed class UnsizedContent : HttpContent
{
    readonly byte[] _bytes;

    public UnsizedContent(string text, string contentType)
    {
        _bytes = Encoding.UTF8.GetBytes(text);
        Headers.TryAddWithoutValidation("Content-Type", contentType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // In pieces, as a streaming writer sends them.
        for (var at = 0; at < _bytes.Length; at += 64 * 1024)
        {
            await stream.WriteAsync(_bytes.AsMemory(at, Math.Min(64 * 1024, _bytes.Length - at)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
