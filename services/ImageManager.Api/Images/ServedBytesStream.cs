namespace ImageManager.Api.Images;

/// <summary>
/// The image's bytes as served, telling after each read how far into the image it has come (a Range request seeks first,
/// so this is the furthest byte the VIM holds, not the sum of what it asked for twice) and when the response is done.
/// </summary>
public sealed class ServedBytesStream(Stream inner, Action<long> reached, Action ended) : ForwardingReadStream(inner)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        reached(Inner.Position);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = Inner.Read(buffer, offset, count);
        reached(Inner.Position);
        return read;
    }

    protected override void OnDisposed() => ended();
}
