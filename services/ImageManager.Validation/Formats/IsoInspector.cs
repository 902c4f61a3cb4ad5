using System.Buffers.Binary;

namespace ImageManager.Validation.Formats;

/// <summary>
/// iso (ISO 9660): volume descriptors from 32 KiB on, each with <c>CD001</c> at byte 1. The first 32 KiB, the system
/// area, is free for the writer's use, which is where another format's header can hide; the dispatcher checks that.
/// Reads: the first 136 bytes of each volume descriptor, at most 16 of them (2 KiB apart from 32 KiB).
/// </summary>
public sealed class IsoInspector : IFormatInspector
{
    public const long SystemAreaSize = 32 * 1024;
    const int DescriptorSize = 2048;
    const int MaxDescriptors = 16; // real discs have 2 to 5; the bound keeps a crafted set from costing many reads
    const int SignatureOffset = 1;
    const byte PrimaryVolumeDescriptor = 1;
    const byte SetTerminator = 255;
    const int FieldsNeeded = 136; // through the logical block size at 128

    public string Format => DiskFormatNames.Iso;

    /// <summary>Glance's rule: <c>CD001</c> in the first, second or third descriptor.</summary>
    public long? FindSignature(HeaderReader image)
    {
        Span<byte> signature = stackalloc byte[5];
        for (var i = 0; i < 3; i++)
        {
            var offset = SystemAreaSize + (i * DescriptorSize) + SignatureOffset;
            if (image.TryReadExactly(offset, signature) && signature.SequenceEqual("CD001"u8))
            {
                return offset;
            }
        }

        return null;
    }

    public FormatInspection Inspect(HeaderReader image)
    {
        Span<byte> descriptor = stackalloc byte[FieldsNeeded];
        for (var i = 0; i < MaxDescriptors; i++)
        {
            if (!image.TryReadExactly(SystemAreaSize + (i * DescriptorSize), descriptor) || !descriptor[1..6].SequenceEqual("CD001"u8))
            {
                break;
            }

            if (descriptor[0] == SetTerminator)
            {
                break;
            }

            if (descriptor[0] == PrimaryVolumeDescriptor)
            {
                // Both-endian fields: the little-endian half comes first.
                var blocks = BinaryPrimitives.ReadUInt32LittleEndian(descriptor[80..]);
                var blockSize = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[128..]);
                var size = (long)blocks * blockSize;
                return size > image.Length
                    ? new FormatInspection(Format, size, [$"the iso is truncated: its primary volume descriptor describes {ReasonText.Size(size)} but the file has {ReasonText.Size(image.Length)}"])
                    : new FormatInspection(Format, size, []);
            }
        }

        // No primary volume descriptor where one was expected (a UDF bridge, say): no size to report, nothing unsafe found.
        return new FormatInspection(Format, null, []);
    }
}
