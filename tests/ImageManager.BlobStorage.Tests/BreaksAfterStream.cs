namespace ImageManager.BlobStorage.Tests;

/// <summary>A request body whose client goes away after <paramref name="bytesBeforeBreak"/> bytes (calling <paramref name="onBreak"/> first, if given).</summary>
public sealed class BreaksAfterStream(byte[] content, int bytesBeforeBreak, Action? onBreak = null) : Stream
{
    int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => content.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= bytesBeforeBreak)
        {
            onBreak?.Invoke();
            throw new IOException("The client closed the connection.");
        }

        var read = Math.Min(count, bytesBeforeBreak - _position);
        Array.Copy(content, _position, buffer, offset, read);
        _position += read;
        return read;
    }

    public override void Flush() => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
