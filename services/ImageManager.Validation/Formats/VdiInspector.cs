using System.Buffers.Binary;

namespace ImageManager.Validation.Formats;

/// <summary>
/// vdi (VirtualBox): signature <c>0xbeda107f</c> at 0x40. Only normal (dynamic) and fixed images are allowed; undo and
/// differencing images, or any that links to a parent, depend on another image file.
/// Reads: the 512-byte header at 0.
/// </summary>
public sealed class VdiInspector : IFormatInspector
{
    const uint Signature = 0xbeda107f;
    const int SignatureOffset = 0x40;
    const int HeaderSize = 0x200;
    const uint SupportedMajorVersion = 1;
    const uint NormalImage = 1;
    const uint FixedImage = 2;

    public string Format => DiskFormatNames.Vdi;

    public long? FindSignature(HeaderReader image)
    {
        Span<byte> signature = stackalloc byte[4];
        return image.TryReadExactly(SignatureOffset, signature) && BinaryPrimitives.ReadUInt32LittleEndian(signature) == Signature
            ? SignatureOffset
            : null;
    }

    public FormatInspection Inspect(HeaderReader image)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        if (!image.TryReadExactly(0, header))
        {
            return new FormatInspection(Format, null, [$"the vdi header is truncated: it needs {HeaderSize} bytes but the file has {image.Length}"]);
        }

        var problems = new List<string>();
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[0x44..]);
        if (version >> 16 != SupportedMajorVersion)
        {
            problems.Add($"vdi version {version >> 16}.{version & 0xffff} is not supported (only 1.x is)");
        }

        var type = BinaryPrimitives.ReadUInt32LittleEndian(header[0x4c..]);
        if (type is not (NormalImage or FixedImage))
        {
            problems.Add($"the vdi image type {type} is not allowed: only normal (1) and fixed (2) images stand alone; undo and differencing images read a parent image");
        }

        // Link and parent UUIDs: a stand-alone image has neither.
        if (header.Slice(0x1a8, 32).ContainsAnyExcept((byte)0))
        {
            problems.Add("the vdi image refers to a parent image, which opening it would read from the host");
        }

        var diskSize = BinaryPrimitives.ReadUInt64LittleEndian(header[0x170..]);
        long? virtualSize = diskSize <= long.MaxValue ? (long)diskSize : null;
        if (virtualSize is null)
        {
            problems.Add("the vdi header claims an impossible virtual size");
        }

        var blockMapOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[0x154..]);
        var blocks = BinaryPrimitives.ReadUInt32LittleEndian(header[0x180..]);
        if (!image.Holds(blockMapOffset, blocks * 4UL))
        {
            problems.Add($"the vdi is truncated: its block map ({blocks} entries at offset {blockMapOffset}) lies past the end of the file ({image.Length} bytes)");
        }

        return new FormatInspection(Format, virtualSize, problems);
    }
}
