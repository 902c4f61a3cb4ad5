using ImageManager.Validation.Archives;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Decides what a package's bytes are from their magic numbers, never from a name: gzip, xz, bzip2 or zstd (and whether a
/// tar is inside), zip, rpm, deb, tar, or a binary. A binary whose end holds a zip directory is a zip too, since zip
/// readers find the directory from the end: a zip glued behind other bytes must not pass unchecked.
/// </summary>
public static class PackageTypeDetector
{
    static readonly byte[] RpmMagic = [0xed, 0xab, 0xee, 0xdb];

    public static async Task<string> DetectAsync(Stream content, CancellationToken cancellationToken)
    {
        var type = DetectFromMagic(new HeaderReader(content));
        var (compression, tarType) = type switch
        {
            PackageTypes.Gzip => (ArchiveCompression.Gzip, PackageTypes.TarGz),
            PackageTypes.Xz => (ArchiveCompression.Xz, PackageTypes.TarXz),
            PackageTypes.Bzip2 => (ArchiveCompression.Bzip2, PackageTypes.TarBz2),
            PackageTypes.Zstd => (ArchiveCompression.Zstd, PackageTypes.TarZst),
            _ => (ArchiveCompression.None, type),
        };
        return compression != ArchiveCompression.None && await IsCompressedTarAsync(content, compression, cancellationToken) ? tarType : type;
    }

    /// <summary>
    /// Whether the first block inside compressed bytes is a tar header. Bytes too broken to tell are left to the full read
    /// to refuse, as a single compressed file.
    /// </summary>
    public static async Task<bool> IsCompressedTarAsync(Stream content, ArchiveCompression compression, CancellationToken cancellationToken)
    {
        var block = new byte[TarHeaderSignature.BlockSize];
        content.Position = 0;
        try
        {
            await using var decompressed = Decompression.Open(content, compression);
            var read = await decompressed.ReadAtLeastAsync(block, block.Length, throwOnEndOfStream: false, cancellationToken);
            return TarHeaderSignature.IsTarHeader(block.AsSpan(0, read));
        }
        catch (InvalidDataException)
        {
            return false;
        }
        finally
        {
            content.Position = 0;
        }
    }

    static string DetectFromMagic(HeaderReader file)
    {
        Span<byte> head = stackalloc byte[TarHeaderSignature.BlockSize];
        var bytes = head[..file.ReadAt(0, head)];
        if (bytes.StartsWith(Decompression.GzipMagic))
        {
            return PackageTypes.Gzip;
        }

        if (bytes.StartsWith("PK\x03\x04"u8) || bytes.StartsWith("PK\x05\x06"u8))
        {
            return PackageTypes.Zip;
        }

        if (bytes.StartsWith(RpmMagic))
        {
            return PackageTypes.Rpm;
        }

        if (bytes.StartsWith(DebPackageInspector.ArMagic))
        {
            return DebPackageInspector.StartsLikeDeb(file) ? PackageTypes.Deb : PackageTypes.Binary;
        }

        if (TarHeaderSignature.IsTarHeader(bytes))
        {
            return PackageTypes.Tar;
        }

        if (bytes.StartsWith(Decompression.XzMagic))
        {
            return PackageTypes.Xz;
        }

        if (bytes.StartsWith(Decompression.Bzip2Magic))
        {
            return PackageTypes.Bzip2;
        }

        if (bytes.StartsWith(Decompression.ZstdMagic))
        {
            return PackageTypes.Zstd;
        }

        return EndsWithZip(file) ? PackageTypes.Zip : PackageTypes.Binary;
    }

    /// <summary>
    /// A zip directory at the end of the bytes: where its end record says, or where it would be if other bytes had been put
    /// in front of the zip (a self-extracting archive). The second kind does not parse, and is refused as a corrupt zip.
    /// </summary>
    static bool EndsWithZip(HeaderReader file) =>
        ZipCentralDirectory.Locate(file) is { } location &&
        (ZipCentralDirectory.HasDirectoryRecordAt(file, location.CentralDirectoryOffset) ||
         ZipCentralDirectory.HasDirectoryRecordAt(file, location.EndRecordOffset - location.CentralDirectorySize));
}
