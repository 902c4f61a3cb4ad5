namespace ImageManager.Distribution.Drivers;

/// <summary>
/// Writes no faster than a bandwidth cap: in slices of an eighth of a second's worth, each followed by a wait until the
/// bytes written so far are due at the cap.
/// </summary>
public sealed class ThrottledWriteStream(Stream target, long bytesPerSecond, TimeProvider clock) : ForwardingWriteStream(target)
{
    readonly long _started = clock.GetTimestamp();
    readonly int _slice = (int)Math.Clamp(bytesPerSecond / 8, 4096, 1024 * 1024);
    long _written;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Small slices keep the pace even: a 1 MiB buffer at 64 KiB/s would otherwise go in 16-second bursts.
        while (!buffer.IsEmpty)
        {
            var slice = buffer[..Math.Min(buffer.Length, _slice)];
            await Target.WriteAsync(slice, cancellationToken);
            buffer = buffer[slice.Length..];
            _written += slice.Length;
            var due = TimeSpan.FromSeconds((double)_written / bytesPerSecond) - clock.GetElapsedTime(_started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, clock, cancellationToken);
            }
        }
    }
}
