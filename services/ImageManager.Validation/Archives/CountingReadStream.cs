namespace ImageManager.Validation.Archives;

/// <summary>Counts the bytes read through it: a tar entry's data stream ends quietly where a truncated archive ends.</summary>
public sealed class CountingReadStream(Stream inner) : ForwardReadStream
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        BytesRead += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        return read;
    }
}
