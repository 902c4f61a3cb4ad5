using System.Buffers.Binary;
using System.Text;

namespace ImageManager.Validation.Tests.Formats;

/// <summary>
/// Writes a minimal ISO 9660 image: an empty 32 KiB system area, a primary volume descriptor and the set terminator
/// (no genisoimage or xorriso on these machines, and the inspector reads nothing more).
/// </summary>
public static class IsoImage
{
    public const int BlockSize = 2048;
    const int FirstDescriptorBlock = 16;

    public static void Write(string path, int blocks)
    {
        var image = new byte[blocks * BlockSize];
        var primary = image.AsSpan(FirstDescriptorBlock * BlockSize, BlockSize);
        Descriptor(primary, type: 1);
        Encoding.ASCII.GetBytes("IMAGEMANAGER_TEST".PadRight(32)).CopyTo(primary[40..]); // volume identifier
        BinaryPrimitives.WriteUInt32LittleEndian(primary[80..], (uint)blocks); // volume space size, both-endian
        BinaryPrimitives.WriteUInt32BigEndian(primary[84..], (uint)blocks);
        BinaryPrimitives.WriteUInt16LittleEndian(primary[128..], BlockSize); // logical block size, both-endian
        BinaryPrimitives.WriteUInt16BigEndian(primary[130..], BlockSize);
        Descriptor(image.AsSpan((FirstDescriptorBlock + 1) * BlockSize, BlockSize), type: 255);
        File.WriteAllBytes(path, image);
    }

    static void Descriptor(Span<byte> descriptor, byte type)
    {
        descriptor[0] = type;
        "CD001"u8.CopyTo(descriptor[1..]);
        descriptor[6] = 1; // version
    }
}
