using System.Buffers.Binary;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// Reads a zip's directory records without .NET's zip reader, which loads every record into memory at once: counting
/// them first bounds that memory by the entry limit. Compares each record's name with its local header's, which other
/// extractors use. Also finds a zip hidden at the end of other bytes (zip readers look for the directory from the end,
/// so a file that starts as anything may still unzip).
/// </summary>
public static class ZipCentralDirectory
{
    const uint EndRecordSignature = 0x06054b50;
    const uint Zip64LocatorSignature = 0x07064b50;
    const uint Zip64EndRecordSignature = 0x06064b50;
    const uint DirectoryRecordSignature = 0x02014b50;
    const uint LocalHeaderSignature = 0x04034b50;
    const ushort Zip64ExtraField = 0x0001;
    const int EndRecordSize = 22;
    const int Zip64LocatorSize = 20;
    const int Zip64EndRecordSize = 56;
    const int DirectoryRecordSize = 46;
    const int LocalHeaderSize = 30;
    const int MaxCommentLength = ushort.MaxValue;

    /// <summary>The end record nearest the end of the file (the one zip readers use), or null when there is none.</summary>
    public static ZipDirectoryLocation? Locate(HeaderReader file)
    {
        var tailLength = (int)Math.Min(file.Length, EndRecordSize + MaxCommentLength);
        if (tailLength < EndRecordSize)
        {
            return null;
        }

        var tail = new byte[tailLength];
        var tailStart = file.Length - tailLength;
        if (!file.TryReadExactly(tailStart, tail))
        {
            return null;
        }

        for (var at = tailLength - EndRecordSize; at >= 0; at--)
        {
            var record = tail.AsSpan(at);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != EndRecordSignature)
            {
                continue;
            }

            var endRecordOffset = tailStart + at;
            long size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            if (entries == ushort.MaxValue || size == uint.MaxValue || offset == uint.MaxValue)
            {
                return LocateZip64(file, endRecordOffset);
            }

            return new ZipDirectoryLocation(endRecordOffset, offset, size);
        }

        return null;
    }

    /// <summary>Whether a directory record starts at <paramref name="offset"/>.</summary>
    public static bool HasDirectoryRecordAt(HeaderReader file, long offset)
    {
        Span<byte> signature = stackalloc byte[4];
        return offset >= 0 && file.TryReadExactly(offset, signature) &&
               BinaryPrimitives.ReadUInt32LittleEndian(signature) == DirectoryRecordSignature;
    }

    /// <summary>Counts the directory records from the directory's start, stopping as soon as there are more than <paramref name="limit"/>.</summary>
    public static long CountEntries(HeaderReader file, ZipDirectoryLocation location, long limit)
    {
        Span<byte> record = stackalloc byte[DirectoryRecordSize];
        var offset = location.CentralDirectoryOffset;
        long count = 0;
        while (count <= limit && file.TryReadExactly(offset, record) &&
               BinaryPrimitives.ReadUInt32LittleEndian(record) == DirectoryRecordSignature)
        {
            count++;
            offset += DirectoryRecordSize
                      + BinaryPrimitives.ReadUInt16LittleEndian(record[28..])
                      + BinaryPrimitives.ReadUInt16LittleEndian(record[30..])
                      + BinaryPrimitives.ReadUInt16LittleEndian(record[32..]);
        }

        return count;
    }

    /// <summary>
    /// The first entry whose local header names it differently from the central directory: .NET (and this check) reads
    /// the directory's name, while extractors that stream a zip front to back write the local header's.
    /// </summary>
    public static string? FindLocalNameMismatch(HeaderReader file, ZipDirectoryLocation location)
    {
        Span<byte> record = stackalloc byte[DirectoryRecordSize];
        Span<byte> local = stackalloc byte[LocalHeaderSize];
        var offset = location.CentralDirectoryOffset;
        while (file.TryReadExactly(offset, record) && BinaryPrimitives.ReadUInt32LittleEndian(record) == DirectoryRecordSignature)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(record[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(record[30..]);
            var name = new byte[nameLength];
            var extra = new byte[extraLength];
            if (!file.TryReadExactly(offset + DirectoryRecordSize, name) || !file.TryReadExactly(offset + DirectoryRecordSize + nameLength, extra))
            {
                return null; // a directory cut short: the zip reader refuses it
            }

            if (LocalHeaderOffset(record, extra) is { } localOffset && file.TryReadExactly(localOffset, local) &&
                BinaryPrimitives.ReadUInt32LittleEndian(local) == LocalHeaderSignature)
            {
                var localName = new byte[BinaryPrimitives.ReadUInt16LittleEndian(local[26..])];
                if (!file.TryReadExactly(localOffset + LocalHeaderSize, localName) || !localName.AsSpan().SequenceEqual(name))
                {
                    return $"entry {ReasonText.Quote(name)} is named {ReasonText.Quote(localName)} in its local header, which extractors that read a zip front to back would use instead";
                }
            }

            offset += DirectoryRecordSize + nameLength + extraLength + BinaryPrimitives.ReadUInt16LittleEndian(record[32..]);
        }

        return null;
    }

    /// <summary>Where an entry's local header is: in its directory record, or, past 4 GiB, in the record's zip64 extra field.</summary>
    static long? LocalHeaderOffset(ReadOnlySpan<byte> record, ReadOnlySpan<byte> extra)
    {
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(record[42..]);
        if (offset != uint.MaxValue)
        {
            return offset;
        }

        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            var size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            var data = extra[4..Math.Min(extra.Length, 4 + size)];
            if (id == Zip64ExtraField)
            {
                // The zip64 field holds, in order, only the values its record marks as 0xffffffff.
                var skip = (BinaryPrimitives.ReadUInt32LittleEndian(record[24..]) == uint.MaxValue ? 8 : 0) +
                           (BinaryPrimitives.ReadUInt32LittleEndian(record[20..]) == uint.MaxValue ? 8 : 0);
                return data.Length >= skip + 8 && BinaryPrimitives.ReadUInt64LittleEndian(data[skip..]) is var wide && wide <= long.MaxValue
                    ? (long)wide
                    : null;
            }

            extra = extra[Math.Min(extra.Length, 4 + size)..];
        }

        return null;
    }

    static ZipDirectoryLocation? LocateZip64(HeaderReader file, long endRecordOffset)
    {
        Span<byte> locator = stackalloc byte[Zip64LocatorSize];
        if (endRecordOffset < Zip64LocatorSize || !file.TryReadExactly(endRecordOffset - Zip64LocatorSize, locator) ||
            BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return null;
        }

        var recordOffset = BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]);
        Span<byte> record = stackalloc byte[Zip64EndRecordSize];
        if (recordOffset > long.MaxValue || !file.TryReadExactly((long)recordOffset, record) ||
            BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndRecordSignature)
        {
            return null;
        }

        var size = BinaryPrimitives.ReadUInt64LittleEndian(record[40..]);
        var offset = BinaryPrimitives.ReadUInt64LittleEndian(record[48..]);
        return size > long.MaxValue || offset > long.MaxValue ? null : new ZipDirectoryLocation(endRecordOffset, (long)offset, (long)size);
    }
}
