using System.Security.Cryptography;
using ImageManager.Distribution.Images;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>Random bytes and the image record distribution keeps of them (with their real SHA-512 unless told otherwise).</summary>
public sealed record DriverTestImage(byte[] Bytes, DistributableImage Image)
{
    public static DriverTestImage Random(int size, string? sha512 = null) => Of(RandomNumberGenerator.GetBytes(size), sha512);

    public static DriverTestImage Of(byte[] bytes, string? sha512 = null)
    {
        var id = Guid.NewGuid();
        return new DriverTestImage(bytes, new DistributableImage
        {
            Id = id,
            Name = $"driver-test-{id.ToString()[..8]}",
            Version = "1",
            Kind = "vm-image",
            DiskFormat = "raw",
            ContainerFormat = "bare",
            SizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Sha512 = sha512 ?? Convert.ToHexStringLower(SHA512.HashData(bytes)),
        });
    }

    public Stream Open() => new MemoryStream(Bytes);
}
