using System.Buffers.Binary;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Packages;

/// <summary>
/// The structure of an rpm up to its payload: the 96-byte lead, the signature header, the header (each a magic, an index
/// and a store that must lie inside the file, within rpm's own limits), then the payload, which must not be missing.
/// <see cref="RpmPackageInspector"/> walks the payload.
/// </summary>
public static class RpmPackageLayout
{
    const int LeadSize = 96;
    const int HeaderIntroSize = 16;
    const int IndexEntrySize = 16;
    const uint MaxIndexEntries = 0xffff; // rpm's HEADER_TAGS_MAX
    const uint MaxStoreBytes = 0x0fffffff; // rpm's HEADER_DATA_MAX
    static readonly byte[] HeaderMagic = [0x8e, 0xad, 0xe8, 0x01];

    /// <summary>Why the rpm's lead and headers are refused (null when they are sound), and where its payload starts.</summary>
    public static (string? Problem, long PayloadOffset) Read(HeaderReader file)
    {
        if (file.Length < LeadSize)
        {
            return ($"it is truncated: the lead needs {LeadSize} bytes but the file has {file.Length}", 0);
        }

        var offset = (long)LeadSize;
        foreach (var what in new[] { "signature header", "header" })
        {
            if (FindHeaderProblem(file, ref offset, what) is { } problem)
            {
                return (problem, offset);
            }

            if (what == "signature header")
            {
                offset = (offset + 7) & ~7L; // the signature header is padded to 8 bytes
            }
        }

        return (offset >= file.Length ? "it is truncated: nothing follows its headers, where the payload belongs" : null, offset);
    }

    static string? FindHeaderProblem(HeaderReader file, ref long offset, string what)
    {
        Span<byte> intro = stackalloc byte[HeaderIntroSize];
        if (!file.TryReadExactly(offset, intro))
        {
            return $"it is truncated: the {what} at offset {offset} is cut off by the end of the file";
        }

        if (!intro[..4].SequenceEqual(HeaderMagic))
        {
            return $"it is corrupt: there is no {what} at offset {offset}";
        }

        var entries = BinaryPrimitives.ReadUInt32BigEndian(intro[8..]);
        var store = BinaryPrimitives.ReadUInt32BigEndian(intro[12..]);
        if (entries > MaxIndexEntries || store > MaxStoreBytes)
        {
            return $"it is corrupt: the {what} claims {entries} entries and {store} bytes, more than rpm itself accepts";
        }

        var end = offset + HeaderIntroSize + ((long)entries * IndexEntrySize) + store;
        if (end > file.Length)
        {
            return $"it is truncated: the {what} needs {ReasonText.Size(end - offset)} from offset {offset}, but the file ends at {file.Length}";
        }

        offset = end;
        return null;
    }
}
