using System.Security.Cryptography;

namespace ImageManager.Distribution.Regions;

/// <summary>
/// The body of a download, hashed as it is read: at its end, fewer or more bytes than the image has, or a SHA-256 that
/// is not the image's, fail the read (an <see cref="IOException"/>, which the VIM's request fails with) rather than
/// give the VIM its last byte. Knows its length (the image's), as the drivers expect of a blob.
/// </summary>
public sealed class VerifiedReadStream(HttpResponseMessage response, Stream body, long length, string sha256, string source) : Stream
{
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Counted(buffer, body.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await body.ReadAsync(buffer, cancellationToken);
        return Counted(buffer.Span, read);
    }

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
            body.Dispose();
            response.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    int Counted(Span<byte> buffer, int read)
    {
        if (read > 0 && buffer.Length > 0)
        {
            _hash.AppendData(buffer[..read]);
            _read += read;
            if (_read > length)
            {
                throw new IOException($"{source} gave more than the image's {length} bytes.");
            }

            return read;
        }

        if (buffer.Length > 0)
        {
            if (_read != length)
            {
                throw new IOException($"{source} ended after {_read} of the image's {length} bytes.");
            }

            var got = Convert.ToHexStringLower(_hash.GetCurrentHash());
            if (!string.Equals(got, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"{source} gave bytes whose SHA-256 is not the image's (read {got}).");
            }
        }

        return read;
    }
}
