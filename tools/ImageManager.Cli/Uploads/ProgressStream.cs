using System.Diagnostics;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Uploads;

/// <summary>
/// The file as the request body: reports each read to the progress bar, and with a rate limit holds reads back to
/// that many bytes per second (for a link shared with other traffic).
/// </summary>
public sealed class ProgressStream(Stream inner, long start, long total, ProgressBar bar, long? bytesPerSecond) : Stream
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _sent;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => total - start;
    public override long Position { get => _sent; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (bytesPerSecond is { } rate)
        {
            // Small reads keep the pace even; the wait brings the average down to the rate.
            buffer = buffer[..(int)Math.Min(buffer.Length, Math.Max(1, rate / 10))];
            var due = TimeSpan.FromSeconds((double)_sent / rate) - _clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
        }

        var read = await inner.ReadAsync(buffer, cancellationToken);
        _sent += read;
        var done = start + _sent;
        var speed = _clock.Elapsed.TotalSeconds > 0 ? (long)(_sent / _clock.Elapsed.TotalSeconds) : 0;
        bar.Report(done, total, $"{ResultWriter.Bytes(done)} / {ResultWriter.Bytes(total)}  {ResultWriter.Bytes(speed)}/s");
        return read;
    }

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
