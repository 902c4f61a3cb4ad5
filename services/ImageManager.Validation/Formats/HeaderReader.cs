using Microsoft.Win32.SafeHandles;

namespace ImageManager.Validation.Formats;

/// <summary>
/// Reads chosen regions of an image's bytes by offset, so that inspecting a multi-gigabyte image costs a few small
/// reads. A <see cref="FileStream"/> is read through its handle with <see cref="RandomAccess"/> (no shared position);
/// any other stream must be seekable.
/// </summary>
public sealed class HeaderReader
{
    readonly Stream _content;
    readonly SafeFileHandle? _handle;

    public HeaderReader(Stream content)
    {
        if (!content.CanSeek)
        {
            throw new ArgumentException("Format inspection reads header regions by offset: the blob's stream must be seekable.", nameof(content));
        }

        _content = content;
        _handle = content is FileStream file ? file.SafeFileHandle : null;
        Length = content.Length;
    }

    public long Length { get; }

    /// <summary>Bytes read so far: stays small whatever the image's size (logged, and checked by the tests).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Whether <paramref name="count"/> bytes from <paramref name="offset"/> lie inside the file.</summary>
    public bool Holds(ulong offset, ulong count) => offset <= (ulong)Length && count <= (ulong)Length - offset;

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; returns fewer bytes only at the end of the file.</summary>
    public int ReadAt(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var total = 0;
        while (total < buffer.Length && offset + total < Length)
        {
            var read = ReadOnce(offset + total, buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        BytesRead += total;
        return total;
    }

    /// <summary>Reads exactly <c>buffer.Length</c> bytes, or returns <c>false</c> when the file ends first.</summary>
    public bool TryReadExactly(long offset, Span<byte> buffer) => ReadAt(offset, buffer) == buffer.Length;

    int ReadOnce(long offset, Span<byte> buffer)
    {
        if (_handle is not null)
        {
            return RandomAccess.Read(_handle, buffer, offset);
        }

        _content.Seek(offset, SeekOrigin.Begin);
        return _content.Read(buffer);
    }
}
