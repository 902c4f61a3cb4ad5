namespace ImageManager.Distribution.Drivers;

/// <summary>Tells after each write that the transport took more bytes, and how many.</summary>
public sealed class ObservedWriteStream(Stream target, Action<int> written) : ForwardingWriteStream(target)
{
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Target.WriteAsync(buffer, cancellationToken);
        written(buffer.Length);
    }
}
