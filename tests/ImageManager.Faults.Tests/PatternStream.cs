namespace ImageManager.Faults.Tests;

/// <summary>
/// A large file that is never on disk: pseudo-random bytes, the same for the same seed, that can be read from any offset
/// (so an upload resumes with the very bytes it would have sent), at most <c>bytesPerSecond</c> fast, so that a transfer
/// lasts long enough for faults to land in it.
/// </summary>
public sealed class PatternStream(int seed, long length, long offset, long bytesPerSecond) : Stream
{
    const int BlockSize = 1 << 20;
    readonly byte[] _block = new byte[BlockSize];
    readonly DateTime _started = DateTime.UtcNow;
    readonly long _from = offset;
    long _position = offset;
    long _blockIndex = -1;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length - _from;
    public override long Position { get => _position - _from; set => throw new NotSupportedException(); }

    /// <summary>The SHA-256 of the whole file (lower-case hex), read at full speed.</summary>
    public static string Sha256Of(int seed, long length)
    {
        using var pattern = new PatternStream(seed, length, 0, long.MaxValue);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pattern));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        if (count <= 0)
        {
            return 0;
        }

        var block = _position / BlockSize;
        if (block != _blockIndex)
        {
            new Random(HashCode.Combine(seed, block)).NextBytes(_block);
            _blockIndex = block;
        }

        var inBlock = (int)(_position % BlockSize);
        count = Math.Min(count, BlockSize - inBlock);
        _block.AsSpan(inBlock, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Ahead of the rate: wait until the bytes sent so far are due.
        var due = _started.AddSeconds((double)(_position - _from) / bytesPerSecond) - DateTime.UtcNow;
        if (bytesPerSecond != long.MaxValue && due > TimeSpan.Zero)
        {
            await Task.Delay(due, cancellationToken);
        }

        return Read(buffer.Span[..Math.Min(buffer.Length, 256 * 1024)]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
