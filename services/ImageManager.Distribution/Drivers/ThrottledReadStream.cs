namespace ImageManager.Distribution.Drivers;

/// <summary>
/// Reads no faster than a VIM's bandwidth cap: after each read, waits until the bytes read so far are due at the cap.
/// Wraps the blob the driver streams from, so every driver is capped the same way.
/// </summary>
public sealed class ThrottledReadStream(Stream inner, long bytesPerSecond, TimeProvider clock) : Stream
{
    readonly long _started = clock.GetTimestamp();
    long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Small reads keep the pace even: a 1 MiB buffer at 64 KiB/s would otherwise send in 16-second bursts.
        var slice = (int)Math.Min(buffer.Length, Math.Max(4096, bytesPerSecond / 8));
        var read = await inner.ReadAsync(buffer[..slice], cancellationToken);
        _read += read;
        var due = TimeSpan.FromSeconds((double)_read / bytesPerSecond) - clock.GetElapsedTime(_started);
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, clock, cancellationToken);
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
