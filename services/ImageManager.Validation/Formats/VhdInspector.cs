using System.Buffers.Binary;

namespace ImageManager.Validation.Formats;

/// <summary>
/// vhd (Virtual PC; qemu's <c>vpc</c>): a 512-byte <c>conectix</c> footer at the end of the file, with a copy at 0 in
/// dynamic disks. Differencing disks are refused: they read a parent disk file named inside the image.
/// Reads: 512 bytes at 0, the last 512 bytes, and the 8-byte cookie of a dynamic disk's header.
/// </summary>
public sealed class VhdInspector : IFormatInspector
{
    const int FooterSize = 512;
    const int DynamicHeaderSize = 1024;
    const uint FixedDisk = 2;
    const uint DynamicDisk = 3;
    const uint DifferencingDisk = 4;
    const ulong NoDataOffset = ulong.MaxValue; // fixed disks have no dynamic header

    public string Format => DiskFormatNames.Vhd;

    public long? FindSignature(HeaderReader image)
    {
        if (HasCookie(image, 0, "conectix"u8))
        {
            return 0;
        }

        var end = image.Length - FooterSize;
        return end > 0 && HasCookie(image, end, "conectix"u8) ? end : null;
    }

    public FormatInspection Inspect(HeaderReader image)
    {
        // qemu reads the copy at 0 first and falls back to the footer at the end, as this does.
        var footerAt = FindSignature(image) ?? 0;
        Span<byte> footer = stackalloc byte[FooterSize];
        if (!image.TryReadExactly(footerAt, footer))
        {
            return new FormatInspection(Format, null, [$"the vhd footer is truncated: it needs {FooterSize} bytes but the file has {image.Length}"]);
        }

        var problems = new List<string>();
        var currentSize = BinaryPrimitives.ReadUInt64BigEndian(footer[48..]);
        long? virtualSize = currentSize <= long.MaxValue ? (long)currentSize : null;
        var dataOffset = BinaryPrimitives.ReadUInt64BigEndian(footer[16..]);
        switch (BinaryPrimitives.ReadUInt32BigEndian(footer[60..]))
        {
            case FixedDisk when virtualSize is { } size && image.Length - FooterSize < size:
                problems.Add($"the fixed vhd is truncated: its footer describes {ReasonText.Size(size)} of data but the file has {ReasonText.Size(image.Length)}");
                break;
            case FixedDisk:
                break;
            case DynamicDisk:
                CheckDynamicDisk(image, footerAt, dataOffset, problems);
                break;
            case DifferencingDisk:
                problems.Add("the vhd is a differencing disk, which reads a parent disk file from the host");
                break;
            case var type:
                problems.Add($"the vhd disk type {type} is unknown (fixed is 2, dynamic is 3)");
                break;
        }

        if (virtualSize is null)
        {
            problems.Add("the vhd footer claims an impossible virtual size");
        }

        return new FormatInspection(Format, virtualSize, problems);
    }

    static void CheckDynamicDisk(HeaderReader image, long footerAt, ulong dataOffset, List<string> problems)
    {
        if (dataOffset == NoDataOffset || !image.Holds(dataOffset, DynamicHeaderSize))
        {
            problems.Add($"the dynamic vhd is truncated: its dynamic disk header lies past the end of the file ({image.Length} bytes)");
        }
        else if (!HasCookie(image, (long)dataOffset, "cxsparse"u8))
        {
            problems.Add("the dynamic vhd has no dynamic disk header where its footer says");
        }
        else if (footerAt == 0 && !HasCookie(image, image.Length - FooterSize, "conectix"u8))
        {
            problems.Add("the dynamic vhd is truncated: the footer at the end of the file is missing");
        }
    }

    static bool HasCookie(HeaderReader image, long offset, ReadOnlySpan<byte> cookie)
    {
        Span<byte> found = stackalloc byte[8];
        return offset >= 0 && image.TryReadExactly(offset, found) && found.SequenceEqual(cookie);
    }
}
