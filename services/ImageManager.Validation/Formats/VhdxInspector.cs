using System.Buffers.Binary;

namespace ImageManager.Validation.Formats;

/// <summary>
/// vhdx: <c>vhdxfile</c> at 0. The virtual size is an item of the metadata region, found through the region table;
/// differencing disks (a parent locator, or the "has parent" flag) are refused: they read a parent disk file.
/// Reads: 8 bytes at 0, the region table at 192 KiB (16 bytes plus 32 per entry), the metadata table (32 bytes plus
/// 32 per entry) and the 8-byte virtual size and 8-byte file parameters items.
/// </summary>
public sealed class VhdxInspector : IFormatInspector
{
    const long RegionTableOffset = 192 * 1024;
    const long SecondRegionTableOffset = 256 * 1024;
    const int TableHeaderSize = 16;
    const int MetadataHeaderSize = 32;
    const int EntrySize = 32;
    const int MaxRegionEntries = 2047; // the spec's limits; both tables fit in 64 KiB
    const int MaxMetadataEntries = 2047;
    const uint HasParentFlag = 1 << 1;

    static readonly Guid MetadataRegion = new("8b7ca206-4790-4b9a-b8fe-575f050f886e");
    static readonly Guid VirtualDiskSizeItem = new("2fa54224-cd1b-4876-b211-5dbed83bf4b8");
    static readonly Guid FileParametersItem = new("caa16737-fa36-4d43-b3b6-33f0aa44e76b");
    static readonly Guid ParentLocatorItem = new("a8d35f2d-b30b-454d-abf7-d3d84834ab0c");

    public string Format => DiskFormatNames.Vhdx;

    public long? FindSignature(HeaderReader image)
    {
        Span<byte> signature = stackalloc byte[8];
        return image.TryReadExactly(0, signature) && signature.SequenceEqual("vhdxfile"u8) ? 0 : null;
    }

    public FormatInspection Inspect(HeaderReader image)
    {
        if (image.Length < SecondRegionTableOffset)
        {
            return Refuse($"the vhdx is truncated: its region table needs {ReasonText.Size(SecondRegionTableOffset)} but the file has {ReasonText.Size(image.Length)}");
        }

        // Both region tables are copies; the second one serves when the first is damaged.
        var metadata = FindMetadataRegion(image, RegionTableOffset) ?? FindMetadataRegion(image, SecondRegionTableOffset);
        if (metadata is not { } region)
        {
            return Refuse("the vhdx has no valid region table with a metadata region");
        }

        var (regionOffset, regionLength) = region;

        if (!image.Holds(regionOffset, regionLength))
        {
            return Refuse($"the vhdx is truncated: its metadata region lies past the end of the file ({image.Length} bytes)");
        }

        Span<byte> header = stackalloc byte[MetadataHeaderSize];
        if (!image.TryReadExactly((long)regionOffset, header) || !header[..8].SequenceEqual("metadata"u8))
        {
            return Refuse("the vhdx metadata region has no metadata table");
        }

        var count = Math.Min((int)BinaryPrimitives.ReadUInt16LittleEndian(header[10..]), MaxMetadataEntries);
        var entries = new byte[count * EntrySize];
        image.TryReadExactly((long)regionOffset + MetadataHeaderSize, entries);

        var problems = new List<string>();
        long? virtualSize = null;
        for (var i = 0; i < count; i++)
        {
            var entry = entries.AsSpan(i * EntrySize, EntrySize);
            var item = new Guid(entry[..16]);
            var itemOffset = BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]);
            if (item == ParentLocatorItem)
            {
                problems.Add("the vhdx is a differencing disk (it has a parent locator), which reads a parent disk file from the host");
            }
            else if (item == VirtualDiskSizeItem && ReadItem(image, regionOffset, regionLength, itemOffset) is { } size)
            {
                virtualSize = size <= long.MaxValue ? (long)size : null;
            }
            else if (item == FileParametersItem && ReadItem(image, regionOffset, regionLength, itemOffset) is { } parameters &&
                     ((uint)(parameters >> 32) & HasParentFlag) != 0)
            {
                problems.Add("the vhdx is a differencing disk (its file parameters say it has a parent), which reads a parent disk file from the host");
            }
        }

        return new FormatInspection(Format, virtualSize, problems);
    }

    static (ulong Offset, ulong Length)? FindMetadataRegion(HeaderReader image, long tableOffset)
    {
        Span<byte> header = stackalloc byte[TableHeaderSize];
        if (!image.TryReadExactly(tableOffset, header) || !header[..4].SequenceEqual("regi"u8))
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (count > MaxRegionEntries)
        {
            return null;
        }

        var entries = new byte[count * EntrySize];
        if (!image.TryReadExactly(tableOffset + TableHeaderSize, entries))
        {
            return null;
        }

        for (var i = 0; i < count; i++)
        {
            var entry = entries.AsSpan(i * EntrySize, EntrySize);
            if (new Guid(entry[..16]) == MetadataRegion)
            {
                return (BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]), BinaryPrimitives.ReadUInt32LittleEndian(entry[24..]));
            }
        }

        return null;
    }

    /// <summary>An 8-byte metadata item (little-endian), when it lies inside the metadata region.</summary>
    static ulong? ReadItem(HeaderReader image, ulong regionOffset, ulong regionLength, uint itemOffset)
    {
        Span<byte> value = stackalloc byte[8];
        return itemOffset + 8UL <= regionLength && image.TryReadExactly((long)(regionOffset + itemOffset), value)
            ? BinaryPrimitives.ReadUInt64LittleEndian(value)
            : null;
    }

    FormatInspection Refuse(string problem) => new(Format, null, [problem]);
}
