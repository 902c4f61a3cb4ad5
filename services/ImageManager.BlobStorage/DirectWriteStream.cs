using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImageManager.BlobStorage;

/// <summary>
/// Writes a new file with <c>O_DIRECT</c>: the bytes go from our buffers to the disk without a copy into the page
/// cache. For a multi-GiB upload that copy is the largest CPU cost of ingest, and the cached pages would only push
/// hotter data out. Direct I/O wants 4 KiB-aligned addresses, lengths and offsets: aligned buffers are written as
/// they are, anything else through an aligned bounce buffer; the file's unaligned tail is written padded and the
/// file cut back to its length. <see cref="TryCreate"/> returns null where direct I/O is not to be had (not Linux
/// x64, or a file system such as tmpfs that refuses it), and the caller writes through the page cache instead.
/// </summary>
sealed partial class DirectWriteStream : Stream
{
    public const int Alignment = 4096;

    // Linux x86-64 open(2) flags.
    const int WriteOnly = 0x1, Create = 0x40, Exclusive = 0x80, Direct = 0x4000, CloseOnExec = 0x80000;
    const int OwnerReadWriteOthersRead = 420; // 0644
    const int InvalidArgument = 22;

    readonly SafeFileHandle _file;
    readonly AlignedBuffer _bounce = new(1024 * 1024);
    long _length;
    bool _tailWritten;

    DirectWriteStream(SafeFileHandle file) => _file = file;

    public static DirectWriteStream? TryCreate(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        var descriptor = Open(path, WriteOnly | Create | Exclusive | Direct | CloseOnExec, OwnerReadWriteOthersRead);
        if (descriptor >= 0)
        {
            return new DirectWriteStream(new SafeFileHandle(descriptor, ownsHandle: true));
        }

        var error = Marshal.GetLastPInvokeError();
        return error == InvalidArgument
            ? null
            : throw new IOException($"Could not create '{path}' (errno {error}).");
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_tailWritten)
        {
            throw new InvalidOperationException("Only the last write may be shorter than a multiple of 4 KiB.");
        }

        while (!buffer.IsEmpty)
        {
            var whole = buffer.Length / Alignment * Alignment;
            if (whole > 0 && AlignedBuffer.IsAligned(buffer))
            {
                await RandomAccess.WriteAsync(_file, buffer[..whole], _length, cancellationToken);
                _length += whole;
                buffer = buffer[whole..];
                continue;
            }

            // Unaligned memory, or the tail: through the bounce buffer, padded to a whole block.
            var part = Math.Min(buffer.Length, _bounce.Memory.Length);
            buffer[..part].CopyTo(_bounce.Memory);
            var padded = (part + Alignment - 1) / Alignment * Alignment;
            _bounce.Memory.Span[part..padded].Clear();
            await RandomAccess.WriteAsync(_file, _bounce.Memory[..padded], _length, cancellationToken);
            _length += part;
            buffer = buffer[part..];
            if (part % Alignment != 0)
            {
                _tailWritten = true;
                RandomAccess.SetLength(_file, _length);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>Direct writes bypass the cache, but the file's size and block map are metadata: fsync makes them durable.</summary>
    public override void Flush() => RandomAccess.FlushToDisk(_file);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);
}
