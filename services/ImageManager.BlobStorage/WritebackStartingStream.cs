namespace ImageManager.BlobStorage;

/// <summary>
/// Writes to a file and, after each write, has the kernel start writing those bytes to disk (see
/// <see cref="LinuxDisk.StartWriteback"/>): the disk works while the upload still streams in, instead of all at once
/// in the fsync before the upload is acknowledged.
/// </summary>
sealed class WritebackStartingStream(FileStream file) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var offset = file.Position;
        await file.WriteAsync(buffer, cancellationToken);
        LinuxDisk.StartWriteback(file.SafeFileHandle, offset, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        var position = file.Position;
        file.Write(buffer, offset, count);
        LinuxDisk.StartWriteback(file.SafeFileHandle, position, count);
    }

    /// <summary>To disk, not only to the kernel.</summary>
    public override void Flush() => file.Flush(flushToDisk: true);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
