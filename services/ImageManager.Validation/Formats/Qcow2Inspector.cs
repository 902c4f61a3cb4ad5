using System.Buffers.Binary;
using System.Globalization;

namespace ImageManager.Validation.Formats;

/// <summary>
/// qcow2, versions 2 and 3. Refuses what makes the host that opens the image read other files (a backing file, an
/// external data file, <c>json:</c> pseudo-filenames that can name any file or network resource) and incompatible
/// features it cannot judge.
/// Reads: the header (104 bytes at 0), the header extensions that follow it inside the first cluster (8 bytes each,
/// plus the data file's name) and the backing file's name (at most 1023 bytes).
/// </summary>
public sealed class Qcow2Inspector : IFormatInspector
{
    const uint Magic = 0x514649fb; // "QFI\xfb"
    const int Version2HeaderLength = 72;
    const int Version3HeaderLength = 104;
    const int MinClusterBits = 9;
    const int MaxClusterBits = 21;
    const int MaxFileNameLength = 1023; // qemu refuses longer backing file names
    const int MaxHeaderExtensions = 64; // qemu writes a handful; a crafted header must not cost thousands of reads
    const uint EndOfExtensions = 0;
    const uint DataFileExtension = 0x44415441; // "DATA"
    const ulong CorruptBit = 1UL << 1;
    const ulong ExternalDataFileBit = 1UL << 2;
    const ulong KnownIncompatibleFeatures = 0b1_1111; // dirty, corrupt, external data file, compression type, extended L2

    public string Format => DiskFormatNames.Qcow2;

    public long? FindSignature(HeaderReader image)
    {
        Span<byte> magic = stackalloc byte[4];
        return image.TryReadExactly(0, magic) && BinaryPrimitives.ReadUInt32BigEndian(magic) == Magic ? 0 : null;
    }

    public FormatInspection Inspect(HeaderReader image)
    {
        Span<byte> header = stackalloc byte[Version3HeaderLength];
        var read = image.ReadAt(0, header);
        if (read < 8)
        {
            return Refuse(Truncated(Version2HeaderLength, image));
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (version is not (2 or 3))
        {
            return Refuse($"qcow2 version {version} is not supported (only versions 2 and 3 are)");
        }

        var headerLength = version == 2 ? Version2HeaderLength : Version3HeaderLength;
        if (read < headerLength)
        {
            return Refuse(Truncated(headerLength, image));
        }

        var clusterBits = BinaryPrimitives.ReadUInt32BigEndian(header[20..]);
        if (clusterBits is < MinClusterBits or > MaxClusterBits)
        {
            return Refuse($"the qcow2 cluster size of 2^{clusterBits} bytes is invalid (qemu accepts 512 bytes to 2 MiB)");
        }

        var clusterSize = 1L << (int)clusterBits;
        var problems = new List<string>();
        var size = BinaryPrimitives.ReadUInt64BigEndian(header[24..]);
        long? virtualSize = size <= long.MaxValue ? (long)size : null;
        if (virtualSize is null)
        {
            problems.Add("the qcow2 header claims an impossible virtual size");
        }

        var extensionsStart = (long)Version2HeaderLength;
        var hasDataFileBit = false;
        if (version == 3)
        {
            var incompatible = BinaryPrimitives.ReadUInt64BigEndian(header[72..]);
            CheckIncompatibleFeatures(incompatible, problems);
            hasDataFileBit = (incompatible & ExternalDataFileBit) != 0;
            extensionsStart = BinaryPrimitives.ReadUInt32BigEndian(header[100..]);
            if (extensionsStart < Version3HeaderLength || extensionsStart > clusterSize)
            {
                problems.Add($"the qcow2 header length of {extensionsStart} bytes is invalid");
                return new FormatInspection(Format, virtualSize, problems);
            }
        }

        var dataFileName = ReadDataFileName(image, extensionsStart, clusterSize, problems);
        CheckDataFile(hasDataFileBit, dataFileName, problems);
        CheckBackingFile(image, BinaryPrimitives.ReadUInt64BigEndian(header[8..]), BinaryPrimitives.ReadUInt32BigEndian(header[16..]), problems);
        return new FormatInspection(Format, virtualSize, problems);
    }

    static void CheckIncompatibleFeatures(ulong incompatible, List<string> problems)
    {
        var unknown = incompatible & ~KnownIncompatibleFeatures;
        if (unknown != 0)
        {
            var bits = Enumerable.Range(0, 64).Where(bit => (unknown & (1UL << bit)) != 0).Select(bit => bit.ToString(CultureInfo.InvariantCulture));
            problems.Add($"the qcow2 image uses incompatible features unknown to this service (bits {string.Join(", ", bits)}), so what opening it does cannot be checked");
        }

        if ((incompatible & CorruptBit) != 0)
        {
            problems.Add("the qcow2 image is marked corrupt");
        }
    }

    /// <summary>Walks the header extensions; returns the external data file's name when one is given.</summary>
    byte[]? ReadDataFileName(HeaderReader image, long offset, long clusterSize, List<string> problems)
    {
        Span<byte> extension = stackalloc byte[8];
        byte[]? dataFileName = null;
        for (var count = 0; offset + extension.Length <= clusterSize; count++)
        {
            if (count == MaxHeaderExtensions)
            {
                problems.Add($"the qcow2 header has more than {MaxHeaderExtensions} header extensions");
                break;
            }

            if (!image.TryReadExactly(offset, extension))
            {
                problems.Add($"the qcow2 header extensions are truncated: the file ends at {image.Length} bytes");
                break;
            }

            var type = BinaryPrimitives.ReadUInt32BigEndian(extension);
            var length = BinaryPrimitives.ReadUInt32BigEndian(extension[4..]);
            if (type == EndOfExtensions)
            {
                break;
            }

            var dataOffset = offset + extension.Length;
            if (dataOffset + length > clusterSize)
            {
                problems.Add("a qcow2 header extension runs past the image's first cluster");
                break;
            }

            if (type == DataFileExtension)
            {
                dataFileName = new byte[Math.Min(length, MaxFileNameLength)];
                if (!image.TryReadExactly(dataOffset, dataFileName))
                {
                    problems.Add($"the qcow2 header extensions are truncated: the file ends at {image.Length} bytes");
                    break;
                }
            }

            offset = dataOffset + ((length + 7L) & ~7L); // extension data is padded to 8 bytes
        }

        return dataFileName;
    }

    static void CheckDataFile(bool hasDataFileBit, byte[]? name, List<string> problems)
    {
        if (name is not null && IsJson(name))
        {
            problems.Add($"the qcow2 image's external data file is a json: pseudo-filename ({ReasonText.Quote(name)}), which can make the host that opens it read any file or network resource");
        }
        else if (name is not null)
        {
            problems.Add($"the qcow2 image keeps its data in an external data file ({ReasonText.Quote(name)}) that opening it would read from the host");
        }
        else if (hasDataFileBit)
        {
            problems.Add("the qcow2 image is flagged as keeping its data in an external data file that opening it would read from the host");
        }
    }

    static void CheckBackingFile(HeaderReader image, ulong offset, uint length, List<string> problems)
    {
        if (offset == 0 && length == 0)
        {
            return;
        }

        var name = new byte[Math.Min(length, MaxFileNameLength)];
        if (offset > long.MaxValue || !image.Holds(offset, (ulong)name.Length) || !image.TryReadExactly((long)offset, name))
        {
            problems.Add($"the qcow2 image has a backing file, whose name is truncated (it would be at offset {offset}, past the end of the file)");
        }
        else if (IsJson(name))
        {
            problems.Add($"the qcow2 image's backing file is a json: pseudo-filename ({ReasonText.Quote(name)}), which can make the host that opens it read any file or network resource");
        }
        else
        {
            problems.Add($"the qcow2 image has a backing file ({ReasonText.Quote(name)}) that opening it would read from the host");
        }
    }

    static bool IsJson(ReadOnlySpan<byte> name) => name.StartsWith("json:"u8);

    static string Truncated(int needed, HeaderReader image) =>
        $"the qcow2 header is truncated: it needs {needed} bytes but the file has {image.Length}";

    FormatInspection Refuse(string problem) => new(Format, null, [problem]);
}
