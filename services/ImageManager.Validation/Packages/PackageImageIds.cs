using System.Security.Cryptography;
using System.Text;

namespace ImageManager.Validation.Packages;

/// <summary>
/// The id of an image taken out of a package: a name-based UUID (RFC 9562 version 8) of the package's id and the path,
/// so that validating the same package again names the same images instead of cataloguing them twice.
/// </summary>
public static class PackageImageIds
{
    public static Guid For(Guid packageId, string pathInPackage)
    {
        var name = Encoding.UTF8.GetBytes($"{packageId:D}/{pathInPackage}");
        Span<byte> bytes = stackalloc byte[16];
        SHA256.HashData(name).AsSpan(0, 16).CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
