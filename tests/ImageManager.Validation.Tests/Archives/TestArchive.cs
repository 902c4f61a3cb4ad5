using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace ImageManager.Validation.Tests.Archives;

/// <summary>
/// Writes archives for the tests with .NET's own writers, entry by entry: the safe ones a packager writes, and the
/// unsafe ones an attacker writes (the writers take any name, link or entry type).
/// </summary>
public static class TestArchive
{
    /// <summary>Unix file type bits in a zip entry's external attributes, as Info-ZIP writes them.</summary>
    public const int ZipSymbolicLink = unchecked((int)0xA1FF0000);
    public const int ZipCharacterDevice = unchecked((int)0x21B60000);

    public static TarEntry File(string name, byte[] content) =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };

    public static TarEntry File(string name, string text) => File(name, Encoding.UTF8.GetBytes(text));

    public static TarEntry Folder(string name) => new PaxTarEntry(TarEntryType.Directory, name);

    public static TarEntry SymbolicLink(string name, string target) => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static TarEntry HardLink(string name, string target) => new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target };

    public static TarEntry CharacterDevice(string name) =>
        new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = 1, DeviceMinor = 3 };

    public static TarEntry Fifo(string name) => new PaxTarEntry(TarEntryType.Fifo, name);

    public static byte[] Tar(params IEnumerable<TarEntry> entries)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return tar.ToArray();
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    public static byte[] TarGz(params IEnumerable<TarEntry> entries) => Gzip(Tar(entries));

    public static byte[] TarXz(params IEnumerable<TarEntry> entries) => CompressionTool.Xz(Tar(entries));

    public static byte[] TarBz2(params IEnumerable<TarEntry> entries) => CompressionTool.Bzip2(Tar(entries));

    public static byte[] TarZst(params IEnumerable<TarEntry> entries) => CompressionTool.Zstd(Tar(entries));

    /// <summary>A zip of files; a tuple with <c>Attributes</c> set makes links and devices.</summary>
    public static byte[] Zip(params IEnumerable<(string Name, byte[] Content)> files) =>
        Zip(files.Select(file => (file.Name, file.Content, Attributes: 0)));

    public static byte[] Zip(IEnumerable<(string Name, byte[] Content, int Attributes)> entries, CompressionLevel level = CompressionLevel.SmallestSize)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, attributes) in entries)
            {
                var entry = archive.CreateEntry(name, level);
                if (attributes != 0)
                {
                    entry.ExternalAttributes = attributes;
                }

                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return zip.ToArray();
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
}
