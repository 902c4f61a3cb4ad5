using Amazon.S3.Model;

namespace ImageManager.BlobStorage;

/// <summary>
/// A blob in S3 read as a seekable stream, through ranged GETs: a reader that goes on from where it is (a download,
/// a checksum, a VIM upload) is served by one GET to the end of the object; after a jump (a Range request, a format
/// inspector reading headers at offsets) a window of <see cref="Window"/> bytes is fetched first, and only a reader
/// that reads past it gets the rest. Memory is the SDK's connection buffers, whatever the blob's size.
/// </summary>
public sealed class S3ReadStream(S3Bucket bucket, string key, long length) : Stream
{
    const int Window = 256 * 1024;

    GetObjectResponse? _response;
    Stream? _body;
    long _position, _bodyPosition, _bodyEnd;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A position is not negative.");
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (_body is null || _bodyPosition != _position || _bodyPosition >= _bodyEnd)
        {
            await OpenAsync(buffer.Length, cancellationToken);
        }

        var read = await _body!.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _bodyEnd - _bodyPosition)], cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The object {key} ended at {_bodyPosition} bytes; {length} were expected.");
        }

        _position += read;
        _bodyPosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>The format inspectors read synchronously: each such read waits on the asynchronous one.</summary>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    async Task OpenAsync(int count, CancellationToken cancellationToken)
    {
        // Going on from where the last range ended (or starting at 0) reads to the end; a jump reads a window first.
        var continuing = _position == _bodyEnd;
        var end = continuing ? length : Math.Min(length, _position + Math.Max(count, Window));
        Close(disposing: true);
        _response = await bucket.Client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket.Name,
            Key = key,
            ByteRange = new ByteRange(_position, end - 1),
        }, cancellationToken);
        _body = _response.ResponseStream;
        (_bodyPosition, _bodyEnd) = (_position, end);
    }

    void Close(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _response?.Dispose();
        }

        (_body, _response) = (null, null);
    }

    protected override void Dispose(bool disposing)
    {
        Close(disposing);
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
