namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// The next <c>length</c> bytes of a forward-only stream, as a stream of its own that leaves the rest (and the stream)
/// to its owner: one chunk of a layer as it streams out of the archive. Unlike a window on a seekable stream, it reads
/// on from wherever the stream is, and a stream that ends early is an error.
/// </summary>
public sealed class ForwardSliceStream(Stream inner, long length) : Stream
{
    readonly long _length = length;
    long _remaining = length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _length - _remaining;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _remaining == 0 ? 0 : inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        return Advance(read, buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = _remaining == 0 ? 0 : await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken);
        return Advance(read, buffer.Length);
    }

    int Advance(int read, int asked)
    {
        if (read == 0 && _remaining > 0 && asked > 0)
        {
            throw new EndOfStreamException($"The archive ended {_remaining} bytes before the end of a blob.");
        }

        _remaining -= read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
