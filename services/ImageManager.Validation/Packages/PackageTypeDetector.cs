using System.IO.Compression;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Decides what a package's bytes are from their magic numbers, never from a name: gzip (and whether a tar is inside),
/// zip, rpm, deb, tar, xz, bzip2, zstd, or a binary. A binary whose end holds a zip directory is a zip too, since zip
/// readers find the directory from the end: a zip glued behind other bytes must not pass unchecked.
/// </summary>
public static class PackageTypeDetector
{
    static readonly byte[] GzipMagic = [0x1f, 0x8b];
    static readonly byte[] RpmMagic = [0xed, 0xab, 0xee, 0xdb];
    static readonly byte[] XzMagic = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    static readonly byte[] ZstdMagic = [0x28, 0xb5, 0x2f, 0xfd];

    public static async Task<string> DetectAsync(Stream content, CancellationToken cancellationToken)
    {
        var type = DetectFromMagic(new HeaderReader(content));
        return type == PackageTypes.Gzip && await IsGzippedTarAsync(content, cancellationToken) ? PackageTypes.TarGz : type;
    }

    /// <summary>Whether the first block inside a gzip is a tar header. A gzip too broken to tell is left to the full read to refuse.</summary>
    public static async Task<bool> IsGzippedTarAsync(Stream content, CancellationToken cancellationToken)
    {
        var block = new byte[TarHeaderSignature.BlockSize];
        content.Position = 0;
        try
        {
            await using var decompressed = new GZipStream(content, CompressionMode.Decompress, leaveOpen: true);
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
        if (bytes.StartsWith(GzipMagic))
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

        if (bytes.StartsWith(XzMagic))
        {
            return PackageTypes.Xz;
        }

        if (bytes.StartsWith("BZh"u8))
        {
            return PackageTypes.Bzip2;
        }

        if (bytes.StartsWith(ZstdMagic))
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
