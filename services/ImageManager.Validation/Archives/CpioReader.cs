using System.Buffers;
using System.Globalization;
using System.Text;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// Reads a cpio archive forward, entry by entry, in the formats rpm writes its payload in: "new ASCII" (magic 070701) or
/// the same with a checksum (070702). Each entry is a 110-byte header of eight-digit hexadecimal fields, the name and its
/// NUL padded with the header to four bytes, the data padded to four bytes; an entry named TRAILER!!! ends the archive.
/// Refuses what is not a whole cpio: a header with another magic or a field that is not hexadecimal, a name without its
/// NUL, data shorter than its header says, a crc-format sum that does not match, a missing trailer. Says nothing about
/// whether the entries are safe: that is <see cref="ArchiveWalk"/>'s part.
/// </summary>
public sealed class CpioReader(Stream archive)
{
    const int HeaderSize = 110;
    const int MagicSize = 6;
    const int FieldSize = 8;
    const int ModeField = 1;
    const int FileSizeField = 6;
    const int NameSizeField = 11;
    const int CheckField = 12;
    const string TrailerName = "TRAILER!!!";
    static readonly string[] FieldNames =
        ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"];

    readonly byte[] _header = new byte[HeaderSize];
    CpioEntry? _previous;
    uint? _previousCheck;

    /// <summary>The next entry, or null once the trailer is read; the previous entry's data is read to its end first.</summary>
    public async Task<CpioEntry?> GetNextEntryAsync(CancellationToken cancellationToken)
    {
        if (_previous is not null)
        {
            await FinishPreviousAsync(cancellationToken);
        }

        var where = _previous is null ? "at the start of the archive" : $"after entry {ReasonText.Quote(_previous.Name)}";
        var read = await archive.ReadAtLeastAsync(_header, HeaderSize, throwOnEndOfStream: false, cancellationToken);
        if (read < HeaderSize)
        {
            throw new ArchiveRefusedException(read == 0
                ? $"the archive is truncated: it ends {where}, without cpio's {TrailerName} entry"
                : $"the archive is truncated: it ends in the cpio header {where}");
        }

        var withCheck = MagicOf(_header, where);
        var nameSize = Field(NameSizeField) ?? throw new ArchiveRefusedException($"the cpio header {where} is corrupt: its namesize is not 8 hexadecimal digits");
        if (nameSize is 0 or > EntryNames.MaxLength + 1)
        {
            throw new ArchiveRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"the cpio header {where} is corrupt: it gives its name {nameSize} bytes, where 1 to {EntryNames.MaxLength + 1} belong"));
        }

        var name = await ReadNameAsync((int)nameSize, where, cancellationToken);
        for (var field = 0; field < FieldNames.Length; field++)
        {
            if (Field(field) is null)
            {
                throw new ArchiveRefusedException($"the cpio header of entry {ReasonText.Quote(name)} is corrupt: its {FieldNames[field]} is not 8 hexadecimal digits");
            }
        }

        if (name == TrailerName)
        {
            _previous = null;
            return null;
        }

        var size = Field(FileSizeField).GetValueOrDefault();
        _previous = new CpioEntry(name, (int)Field(ModeField).GetValueOrDefault(), size, new CpioDataStream(archive, size));
        _previousCheck = withCheck ? Field(CheckField) : null;
        return _previous;
    }

    /// <summary>Whether the header is of the crc format; throws when it is neither cpio format rpm writes.</summary>
    static bool MagicOf(byte[] header, string where)
    {
        var magic = header.AsSpan(0, MagicSize);
        if (magic.SequenceEqual("070701"u8))
        {
            return false;
        }

        if (magic.SequenceEqual("070702"u8))
        {
            return true;
        }

        throw new ArchiveRefusedException(magic.SequenceEqual("07070X"u8)
            ? "the archive is in rpm's stripped cpio format (07070X), which keeps the names of its files in the rpm header; it is not inspected"
            : $"the cpio header {where} is corrupt: it starts with {ReasonText.Quote(Printable(magic))}, where 070701 or 070702 belongs");
    }

    async Task<string> ReadNameAsync(int nameSize, string where, CancellationToken cancellationToken)
    {
        var padded = nameSize + Padding(HeaderSize + nameSize);
        var bytes = ArrayPool<byte>.Shared.Rent(padded);
        try
        {
            if (await archive.ReadAtLeastAsync(bytes.AsMemory(0, padded), padded, throwOnEndOfStream: false, cancellationToken) < padded)
            {
                throw new ArchiveRefusedException($"the archive is truncated: it ends in the name of the cpio entry {where}");
            }

            return bytes[nameSize - 1] == 0
                ? Encoding.UTF8.GetString(bytes, 0, nameSize - 1)
                : throw new ArchiveRefusedException(
                    $"the cpio header {where} is corrupt: the name it gives ({ReasonText.Quote(bytes.AsSpan(0, nameSize))}) does not end with a NUL byte");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Reads what the walk left of the previous entry's data and its padding; checks its length and its sum.</summary>
    async Task FinishPreviousAsync(CancellationToken cancellationToken)
    {
        var previous = _previous!;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await previous.Data.ReadAsync(buffer, cancellationToken) > 0)
            {
            }

            if (previous.Data.BytesRead != previous.Size)
            {
                throw new ArchiveRefusedException(
                    $"the archive is truncated: entry {ReasonText.Quote(previous.Name)} should hold {previous.Size} bytes, but the archive ends after {previous.Data.BytesRead}");
            }

            if (_previousCheck is { } check && previous.Data.Sum != check)
            {
                throw new ArchiveRefusedException(string.Create(CultureInfo.InvariantCulture,
                    $"entry {ReasonText.Quote(previous.Name)} is corrupt: its bytes add up to {previous.Data.Sum:x8}, but its cpio header says {check:x8}"));
            }

            var padding = Padding(previous.Size);
            if (await archive.ReadAtLeastAsync(buffer.AsMemory(0, padding), padding, throwOnEndOfStream: false, cancellationToken) < padding)
            {
                throw new ArchiveRefusedException(
                    $"the archive is truncated: it ends after entry {ReasonText.Quote(previous.Name)}, without cpio's {TrailerName} entry");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A header field, or null when it is not eight hexadecimal digits.</summary>
    uint? Field(int index) =>
        uint.TryParse(_header.AsSpan(MagicSize + (index * FieldSize), FieldSize), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    static int Padding(long length) => (int)((4 - (length % 4)) % 4);

    static string Printable(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
