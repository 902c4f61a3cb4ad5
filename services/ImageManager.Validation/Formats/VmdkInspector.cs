using System.Buffers.Binary;
using System.Text;

namespace ImageManager.Validation.Formats;

/// <summary>
/// vmdk: a hosted sparse extent (magic <c>KDMV</c>) with its descriptor embedded, or a text descriptor file. Only the
/// self-contained create types are allowed, and a descriptor may name no extent in another file: qemu opens every
/// file an extent line names, so a descriptor can make the host read any path.
/// Reads: the 512-byte sparse header at 0 and the embedded descriptor it points to, or the first 64 KiB of a text
/// descriptor.
/// </summary>
public sealed class VmdkInspector : IFormatInspector
{
    const uint SparseMagic = 0x564d444b; // "KDMV", little-endian
    const uint LegacySparseMagic = 0x434f5744; // "COWD": ESX 2 sparse extents
    const int SectorSize = 512;
    const int MaxDescriptorBytes = 64 * 1024; // qemu and VMware write 10 KiB; more is not a descriptor we will parse
    static readonly string[] SelfContainedCreateTypes = ["monolithicSparse", "streamOptimized"];

    public string Format => DiskFormatNames.Vmdk;

    public long? FindSignature(HeaderReader image)
    {
        Span<byte> start = stackalloc byte[SectorSize];
        var read = image.ReadAt(0, start);
        if (read >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(start) is SparseMagic or LegacySparseMagic)
        {
            return 0;
        }

        return IsTextDescriptor(start[..read]) ? 0 : null;
    }

    public FormatInspection Inspect(HeaderReader image)
    {
        Span<byte> header = stackalloc byte[SectorSize];
        var read = image.ReadAt(0, header);
        var magic = read >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(header) : 0;
        if (magic == LegacySparseMagic)
        {
            return Refuse("the vmdk is a legacy ESX (COWD) sparse extent; only monolithicSparse and streamOptimized vmdk images are allowed");
        }

        if (magic != SparseMagic)
        {
            return InspectTextDescriptor(image);
        }

        if (read < SectorSize)
        {
            return Refuse($"the vmdk sparse header is truncated: it needs {SectorSize} bytes but the file has {image.Length}");
        }

        var problems = new List<string>();
        var capacity = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        long? virtualSize = capacity <= long.MaxValue / SectorSize ? (long)capacity * SectorSize : null;
        if (virtualSize is null)
        {
            problems.Add("the vmdk sparse header claims an impossible capacity");
        }

        var descriptorOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[28..]);
        var descriptorSectors = BinaryPrimitives.ReadUInt64LittleEndian(header[36..]);
        if (descriptorOffset == 0 || descriptorSectors == 0)
        {
            problems.Add("the vmdk sparse extent has no embedded descriptor, so its create type cannot be checked");
            return new FormatInspection(Format, virtualSize, problems);
        }

        if (descriptorSectors > MaxDescriptorBytes / SectorSize)
        {
            problems.Add($"the vmdk embedded descriptor is larger than {MaxDescriptorBytes / 1024} KiB");
            return new FormatInspection(Format, virtualSize, problems);
        }

        if (descriptorOffset > (ulong)(image.Length / SectorSize) || !image.Holds(descriptorOffset * SectorSize, descriptorSectors * SectorSize))
        {
            problems.Add($"the vmdk is truncated: its embedded descriptor lies past the end of the file ({image.Length} bytes)");
            return new FormatInspection(Format, virtualSize, problems);
        }

        if (capacity == 0)
        {
            // With no capacity qemu ignores the sparse extent and opens the extents the descriptor names instead.
            problems.Add("the vmdk sparse header has no capacity, which makes qemu open the extents its descriptor names instead");
        }

        var text = new byte[descriptorSectors * SectorSize];
        image.TryReadExactly((long)descriptorOffset * SectorSize, text);
        CheckDescriptor(VmdkDescriptor.Parse(DescriptorText(text)), embedded: true, problems);
        return new FormatInspection(Format, virtualSize, problems);
    }

    FormatInspection InspectTextDescriptor(HeaderReader image)
    {
        var text = new byte[Math.Min(image.Length, MaxDescriptorBytes)];
        var read = image.ReadAt(0, text);
        var descriptor = VmdkDescriptor.Parse(DescriptorText(text.AsSpan(0, read)));
        var problems = new List<string>();
        CheckDescriptor(descriptor, embedded: false, problems);
        var sectors = descriptor.Extents.Aggregate(Int128.Zero, (sum, extent) => sum + Math.Max(extent.Sectors, 0));
        long? virtualSize = sectors > 0 && sectors <= long.MaxValue / SectorSize ? (long)sectors * SectorSize : null;
        return new FormatInspection(Format, virtualSize, problems);
    }

    /// <summary>
    /// A descriptor embedded in a sparse extent describes that one file: a single SPARSE extent named without a path
    /// (the image's own file name, which qemu ignores while the header has a capacity). Every other extent that names
    /// a file, and every extent of a text descriptor (which holds no data itself), is another file.
    /// </summary>
    static void CheckDescriptor(VmdkDescriptor descriptor, bool embedded, List<string> problems)
    {
        if (descriptor.CreateType is null)
        {
            problems.Add("the vmdk descriptor has no createType");
        }
        else if (!SelfContainedCreateTypes.Contains(descriptor.CreateType, StringComparer.Ordinal))
        {
            problems.Add($"the vmdk createType '{descriptor.CreateType}' is not allowed: only monolithicSparse and streamOptimized keep all their data in the one file");
        }

        var files = descriptor.Extents.Where(e => e.FileName is not null).ToList();
        var self = embedded ? files.FirstOrDefault(e => e.Type == "SPARSE" && IsBareFileName(e.FileName!)) : null;
        foreach (var extent in files.Where(e => !ReferenceEquals(e, self)))
        {
            problems.Add($"the vmdk descriptor names an extent in another file ({ReasonText.Quote(Encoding.UTF8.GetBytes(extent.FileName!))}, {extent.Type}), which opening it would read from the host");
        }
    }

    static bool IsBareFileName(string name) =>
        name.Length > 0 && name.IndexOfAny(['/', '\\']) < 0 && !name.StartsWith("json:", StringComparison.Ordinal);

    static string DescriptorText(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0); // the descriptor is a C string, padded with zeros
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>
    /// qemu's own probe: after comment and blank lines, a text descriptor starts with <c>version=</c>. Only the first
    /// sector is looked at, enough for the comment header every descriptor writer puts first.
    /// </summary>
    static bool IsTextDescriptor(ReadOnlySpan<byte> start)
    {
        while (!start.IsEmpty)
        {
            var lineEnd = start.IndexOf((byte)'\n');
            var line = (lineEnd < 0 ? start : start[..lineEnd]).TrimStart(" \t\r"u8);
            if (!line.IsEmpty && line[0] != (byte)'#')
            {
                return line.StartsWith("version="u8);
            }

            if (lineEnd < 0)
            {
                return false;
            }

            start = start[(lineEnd + 1)..];
        }

        return false;
    }

    FormatInspection Refuse(string problem) => new(Format, null, [problem]);
}
