using System.Globalization;
using System.Text;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// Follows the 512-byte tar blocks going by, so that a header announcing huge metadata (a pax extended header, a GNU
/// long name or link) is refused before the tar reader allocates a buffer of the announced size: .NET's reader does, and
/// a 1 KiB tar could otherwise make it allocate gigabytes. Tracks data sizes the way the reader does, pax <c>size</c>
/// records included. Does not own the inner stream.
/// </summary>
public sealed class TarMetadataLimitStream(Stream inner) : ForwardReadStream
{
    /// <summary>Far above any real path list or pax header (PATH_MAX is 4 KiB), far below what hurts memory.</summary>
    public const int MaxMetadataBytes = 1 << 20;

    const int BlockSize = 512;
    const int TypeFlagOffset = 156;
    const int SizeOffset = 124;
    const int SizeLength = 12;

    readonly byte[] _header = new byte[BlockSize];
    int _headerFilled;
    long _dataRemaining;
    long _paddingRemaining;
    MemoryStream? _paxData;
    long? _nextEntrySize;
    bool _watching = true;

    /// <summary>After the end-of-archive marker come padding and perhaps garbage, not headers: stop reading them as headers.</summary>
    public void StopWatching() => _watching = false;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..read]);
        return read;
    }

    void Observe(ReadOnlySpan<byte> bytes)
    {
        while (_watching && !bytes.IsEmpty)
        {
            if (_dataRemaining > 0)
            {
                var data = (int)Math.Min(_dataRemaining, bytes.Length);
                _paxData?.Write(bytes[..data]);
                _dataRemaining -= data;
                bytes = bytes[data..];
                if (_dataRemaining == 0 && _paxData is not null)
                {
                    _nextEntrySize = PaxSize(_paxData) ?? _nextEntrySize;
                    _paxData = null;
                }
            }
            else if (_paddingRemaining > 0)
            {
                var padding = (int)Math.Min(_paddingRemaining, bytes.Length);
                _paddingRemaining -= padding;
                bytes = bytes[padding..];
            }
            else
            {
                var take = Math.Min(BlockSize - _headerFilled, bytes.Length);
                bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                bytes = bytes[take..];
                if (_headerFilled == BlockSize)
                {
                    _headerFilled = 0;
                    OnHeader();
                }
            }
        }
    }

    void OnHeader()
    {
        if (!_header.AsSpan().ContainsAnyExcept((byte)0))
        {
            return; // an end-of-archive block
        }

        var type = (char)_header[TypeFlagOffset];
        var size = HeaderSize(_header.AsSpan(SizeOffset, SizeLength));
        var isMetadata = type is 'x' or 'g' or 'L' or 'K';
        if (isMetadata && size > MaxMetadataBytes)
        {
            var what = type is 'x' or 'g' ? "a pax extended header" : "a GNU long name";
            throw new ArchiveRefusedException(
                $"{what} announces {ReasonText.Size(size)} of metadata, more than the {ReasonText.Size(MaxMetadataBytes)} any real archive needs");
        }

        if (!isMetadata && _nextEntrySize is { } paxSize)
        {
            size = paxSize;
        }

        if (type is not ('x' or 'g'))
        {
            _nextEntrySize = null;
        }

        _paxData = type == 'x' && size > 0 ? new MemoryStream((int)size) : null;
        _dataRemaining = size;
        _paddingRemaining = (BlockSize - (size % BlockSize)) % BlockSize;
    }

    /// <summary>The size field: octal text, or GNU's base-256 when its top bit is set. Unreadable sizes count as 0: the tar reader refuses the header itself.</summary>
    static long HeaderSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7f;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    return long.MaxValue;
                }

                value = (value << 8) | b;
            }

            return value;
        }

        var text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        var end = text.IndexOfAny([' ', '\0']);
        var digits = end < 0 ? text : text[..end];
        try
        {
            return digits.Length == 0 ? 0 : Convert.ToInt64(digits, 8);
        }
        catch (Exception error) when (error is FormatException or ArgumentException or OverflowException)
        {
            return 0;
        }
    }

    /// <summary>The <c>size</c> record of a pax extended header (records are <c>"length key=value\n"</c>), if it has one.</summary>
    static long? PaxSize(MemoryStream paxData)
    {
        var records = Encoding.UTF8.GetString(paxData.GetBuffer(), 0, (int)paxData.Length);
        long? size = null;
        foreach (var record in records.Split('\n'))
        {
            var space = record.IndexOf(' ', StringComparison.Ordinal);
            if (space >= 0 && record[(space + 1)..].StartsWith("size=", StringComparison.Ordinal) &&
                long.TryParse(record[(space + 6)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                size = value;
            }
        }

        return size;
    }
}
