using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace ImageManager.Validation.Tests.Archives;

/// <summary>
/// Archives written once per test class into a temporary folder: safe ones as packagers write them, and one unsafe
/// archive per rule, the way an attacker would write it. The bombs are large expanded, small stored.
/// </summary>
public sealed class ArchiveCorpus : IDisposable
{
    public const int BombBytes = 20 << 20;

    // Safe archives.
    public const string SafeTarGz = "safe.tar.gz";
    public const string SafeTar = "safe.tar";
    public const string SafeZip = "safe.zip";
    public const string LongNamesGnuTar = "long-names-gnu.tar";
    public const string PaxSizeRecordTar = "pax-size-record.tar";
    public const string TwelveEntriesTarGz = "twelve-entries.tar.gz";
    public const string TwelveEntriesZip = "twelve-entries.zip";
    public const string RandomTwoMegabytesTarGz = "random-2m.tar.gz";
    public const string SafeTarXz = "safe.tar.xz";
    public const string SafeTarBz2 = "safe.tar.bz2";
    public const string SafeTarZst = "safe.tar.zst";
    public const string SplitAcrossXzStreamsTarXz = "split-across-streams.tar.xz";

    // Unsafe archives.
    public const string DotDotTarGz = "dot-dot.tar.gz";
    public const string AbsoluteTar = "absolute.tar";
    public const string DriveLetterZip = "drive-letter.zip";
    public const string BackslashZip = "backslash.zip";
    public const string EscapingSymbolicLinkTarGz = "escaping-symlink.tar.gz";
    public const string AbsoluteSymbolicLinkTar = "absolute-symlink.tar";
    public const string EscapingHardLinkTarGz = "escaping-hardlink.tar.gz";
    public const string AbsoluteHardLinkTar = "absolute-hardlink.tar";
    public const string LinkThroughLinkTarGz = "link-through-link.tar.gz";
    public const string EntryUnderLinkTarGz = "entry-under-link.tar.gz";
    public const string DuplicateTarGz = "duplicate.tar.gz";
    public const string DuplicateZip = "duplicate.zip";
    public const string DeviceTar = "device.tar";
    public const string FifoTarGz = "fifo.tar.gz";
    public const string EscapingSymbolicLinkZip = "escaping-symlink.zip";
    public const string DeviceZip = "device.zip";
    public const string ZipBomb = "bomb.zip";
    public const string GzipBomb = "bomb.tar.gz";
    public const string TruncatedTarGz = "truncated.tar.gz";
    public const string TruncatedTar = "truncated.tar";
    public const string TruncatedZip = "truncated.zip";
    public const string CorruptStoredZip = "corrupt-stored.zip";
    public const string LocalNameMismatchZip = "local-name-mismatch.zip";
    public const string UnderstatedSizeZip = "understated-size.zip";
    public const string PaxHeaderBombTar = "pax-header-bomb.tar";
    public const string SecondArchiveAfterEndTar = "second-archive-after-end.tar";
    public const string EvilSecondStreamTarXz = "evil-second-stream.tar.xz";
    public const string EvilSecondStreamTarBz2 = "evil-second-stream.tar.bz2";
    public const string EvilSecondFrameTarZst = "evil-second-frame.tar.zst";
    public const string XzBomb = "bomb.tar.xz";
    public const string Bzip2Bomb = "bomb.tar.bz2";
    public const string ZstdBomb = "bomb.tar.zst";
    public const string SingleXzBomb = "zeros.xz";
    public const string SingleBzip2Bomb = "zeros.bz2";
    public const string SingleZstdBomb = "zeros.zst";
    public const string TruncatedTarXz = "truncated.tar.xz";
    public const string TruncatedTarBz2 = "truncated.tar.bz2";
    public const string TruncatedTarZst = "truncated.tar.zst";

    public ArchiveCorpus()
    {
        Folder = Directory.CreateTempSubdirectory("imagemanager-archives-").FullName;
        WriteSafeArchives();
        WriteUnsafeArchives();
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    void WriteSafeArchives()
    {
        Write(SafeTarGz, TestArchive.TarGz(SafeEntries()));
        Write(SafeTar, TestArchive.Tar(SafeEntries()));
        Write(SafeZip, TestArchive.Zip(
            [("app/", [], 0), ("app/bin/run.sh", TestArchive.Text("#!/bin/sh\necho ok\n"), 0), ("app/current", TestArchive.Text("bin/run.sh"), TestArchive.ZipSymbolicLink)]));

        // GNU long names ('L' entries) and links, beyond ustar's 100 characters.
        var longFolder = string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 8));
        using (var tar = File.Create(PathOf(LongNamesGnuTar)))
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, $"{longFolder}/file.txt")
            {
                DataStream = new MemoryStream(TestArchive.Text("deep")),
            });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, $"{longFolder}/link")
            {
                LinkName = "file.txt",
            });
        }

        // A pax 'size' record overrides the header's size of 0: the 1 KiB of data that follows starts like a header
        // announcing 100 MB of metadata, and must be read as data, the way the tar reader reads it.
        Write(PaxSizeRecordTar, [
            .. TarHeaderBlock.Create("PaxHeaders/data.bin", 'x', TarHeaderBlock.PaxRecord("size", "1024").Length),
            .. TarHeaderBlock.Padded(TestArchive.Text(TarHeaderBlock.PaxRecord("size", "1024"))),
            .. TarHeaderBlock.Create("data.bin", '0', 0),
            .. TarHeaderBlock.Padded([.. TarHeaderBlock.Create("not-a-header", 'x', 100_000_000), .. new byte[512]]),
            .. new byte[2 * TarHeaderBlock.Size],
        ]);

        var twelve = Enumerable.Range(1, 12).Select(i => ($"file-{i}.txt", TestArchive.Text($"{i}"))).ToList();
        Write(TwelveEntriesTarGz, TestArchive.TarGz(twelve.Select(file => TestArchive.File(file.Item1, file.Item2))));
        Write(TwelveEntriesZip, TestArchive.Zip(twelve));
        Write(RandomTwoMegabytesTarGz, TestArchive.TarGz(TestArchive.File("random.bin", RandomNumberGenerator.GetBytes(2 << 20))));
        Write(SafeTarXz, TestArchive.TarXz(SafeEntries()));
        Write(SafeTarBz2, TestArchive.TarBz2(SafeEntries()));
        Write(SafeTarZst, TestArchive.TarZst(SafeEntries()));

        // xz -d reads on after a stream's end, past stream padding (zeros, four at a time), into the next stream.
        var safeTar = TestArchive.Tar(SafeEntries());
        Write(SplitAcrossXzStreamsTarXz, [.. CompressionTool.Xz(safeTar[..1000]), .. new byte[8], .. CompressionTool.Xz(safeTar[1000..], "--check=none")]);
    }

    static IEnumerable<TarEntry> SafeEntries() =>
    [
        TestArchive.Folder("./"),
        TestArchive.Folder("./app/"),
        TestArchive.File("./app/bin/run.sh", "#!/bin/sh\necho ok\n"),
        TestArchive.File("./app/etc/app.conf", "port=8080\n"),
        TestArchive.SymbolicLink("./app/current", "bin/run.sh"),
        TestArchive.SymbolicLink("./app/etc/run", "../bin/run.sh"),
        TestArchive.HardLink("./app/bin/start.sh", "./app/bin/run.sh"),
    ];

    void WriteUnsafeArchives()
    {
        Write(DotDotTarGz, TestArchive.TarGz(TestArchive.File("app/readme.txt", "hello"), TestArchive.File("app/../../evil.sh", "rm -rf /")));
        Write(AbsoluteTar, TestArchive.Tar(TestArchive.File("/etc/cron.d/evil", "* * * * * root evil")));
        Write(DriveLetterZip, TestArchive.Zip(("C:/Windows/System32/evil.dll", TestArchive.Text("MZ"))));
        Write(BackslashZip, TestArchive.Zip(("..\\..\\evil.dll", TestArchive.Text("MZ"))));
        Write(EscapingSymbolicLinkTarGz, TestArchive.TarGz(TestArchive.Folder("app/"), TestArchive.SymbolicLink("app/passwd", "../../etc/passwd")));
        Write(AbsoluteSymbolicLinkTar, TestArchive.Tar(TestArchive.SymbolicLink("app/passwd", "/etc/passwd")));
        Write(EscapingHardLinkTarGz, TestArchive.TarGz(TestArchive.File("app/readme.txt", "hello"), TestArchive.HardLink("app/shadow", "../etc/shadow")));
        Write(AbsoluteHardLinkTar, TestArchive.Tar(TestArchive.HardLink("app/shadow", "/etc/shadow")));
        // Each link alone stays inside; together, "here" is the folder itself and "here/../.." leaves it.
        Write(LinkThroughLinkTarGz, TestArchive.TarGz(
            TestArchive.Folder("app/"), TestArchive.SymbolicLink("app/here", "."), TestArchive.SymbolicLink("app/out", "here/../../etc")));

        // "app/up" is the archive's root; "app/up/out" is then the root's parent, though its name says app/up/..
        Write(EntryUnderLinkTarGz, TestArchive.TarGz(
            TestArchive.Folder("app/"), TestArchive.SymbolicLink("app/up", ".."), TestArchive.SymbolicLink("app/up/out", "..")));
        Write(DuplicateTarGz, TestArchive.TarGz(TestArchive.File("./app/run.sh", "echo checked"), TestArchive.File("app/run.sh", "echo something else")));
        Write(DuplicateZip, TestArchive.Zip(("app/run.sh", TestArchive.Text("echo checked")), ("app/run.sh", TestArchive.Text("echo something else"))));
        Write(DeviceTar, TestArchive.Tar(TestArchive.Folder("dev/"), TestArchive.CharacterDevice("dev/mem")));
        Write(FifoTarGz, TestArchive.TarGz(TestArchive.Fifo("app/pipe")));
        Write(EscapingSymbolicLinkZip, TestArchive.Zip([("app/passwd", TestArchive.Text("../../etc/passwd"), TestArchive.ZipSymbolicLink)]));
        Write(DeviceZip, TestArchive.Zip([("dev/mem", [], TestArchive.ZipCharacterDevice)]));
        Write(ZipBomb, TestArchive.Zip(("zeros.bin", new byte[BombBytes])));
        Write(GzipBomb, TestArchive.TarGz(TestArchive.File("zeros.bin", new byte[BombBytes])));

        var safe = File.ReadAllBytes(PathOf(SafeTarGz));
        Write(TruncatedTarGz, safe[..(safe.Length - 20)]);
        var safeTar = File.ReadAllBytes(PathOf(SafeTar));
        Write(TruncatedTar, safeTar[..(safeTar.AsSpan().IndexOf("#!/bin/sh"u8) + 5)]); // in the middle of the first file's data
        var safeZip = File.ReadAllBytes(PathOf(SafeZip));
        Write(TruncatedZip, safeZip[..(safeZip.Length / 2)]);

        // A stored (uncompressed) entry with one byte changed after the zip was written: only its CRC tells.
        var stored = TestArchive.Zip([("app/data.txt", TestArchive.Text("the bytes the packager wrote"), 0)], CompressionLevel.NoCompression);
        stored[30 + "app/data.txt".Length + 4] ^= 0xff;
        Write(CorruptStoredZip, stored);

        // The central directory says safe.txt, the local header (what streaming extractors read) says ../x.txt.
        var mismatch = TestArchive.Zip(("safe.txt", TestArchive.Text("hello")));
        TestArchive.Text("../x.txt").CopyTo(mismatch, IndexOf(mismatch, 0x04034b50) + 30);
        Write(LocalNameMismatchZip, mismatch);

        // An entry whose headers claim 100 bytes where it holds 1 MiB: the reader stops at 100, and the CRC does not match.
        var understated = TestArchive.Zip(("zeros.bin", new byte[1 << 20]));
        PatchZipSizes(understated, 100);
        Write(UnderstatedSizeZip, understated);

        // A pax extended header announcing 100 MB of metadata, in a 2 KiB file.
        Write(PaxHeaderBombTar, [.. TarHeaderBlock.Create("PaxHeaders/x", 'x', 100_000_000), .. new byte[1536]]);

        // After the end-of-archive marker, a second tar that tar -i would unpack.
        Write(SecondArchiveAfterEndTar, [.. TestArchive.Tar(TestArchive.File("readme.txt", "hello")), .. TestArchive.Tar(TestArchive.File("../evil.sh", "rm -rf /"))]);

        // A tar cut before its end-of-archive marker in one compressed stream, continued in a second stream glued behind
        // it: the command-line tools decompress both, so tar unpacks the second stream's entries too.
        var unfinished = TestArchive.Tar(TestArchive.File("readme.txt", "hello"))[..^(2 * TarHeaderBlock.Size)];
        var evil = TestArchive.Tar(TestArchive.File("../evil.sh", "rm -rf /"));
        Write(EvilSecondStreamTarXz, [.. CompressionTool.Xz(unfinished), .. CompressionTool.Xz(evil)]);
        Write(EvilSecondStreamTarBz2, [.. CompressionTool.Bzip2(unfinished), .. CompressionTool.Bzip2(evil)]);
        Write(EvilSecondFrameTarZst, [.. CompressionTool.Zstd(unfinished), .. CompressionTool.Zstd(evil)]);

        Write(XzBomb, TestArchive.TarXz(TestArchive.File("zeros.bin", new byte[BombBytes])));
        Write(Bzip2Bomb, TestArchive.TarBz2(TestArchive.File("zeros.bin", new byte[BombBytes])));
        Write(ZstdBomb, TestArchive.TarZst(TestArchive.File("zeros.bin", new byte[BombBytes])));
        Write(SingleXzBomb, CompressionTool.Xz(new byte[BombBytes]));
        Write(SingleBzip2Bomb, CompressionTool.Bzip2(new byte[BombBytes]));
        Write(SingleZstdBomb, CompressionTool.Zstd(new byte[BombBytes]));

        // Cut in the middle of a large entry's data: the reason names it.
        var random = TestArchive.Tar(TestArchive.File("random.bin", RandomNumberGenerator.GetBytes(2 << 20)));
        Write(TruncatedTarXz, Half(CompressionTool.Xz(random)));
        Write(TruncatedTarBz2, Half(CompressionTool.Bzip2(random)));
        Write(TruncatedTarZst, Half(CompressionTool.Zstd(random)));
    }

    static byte[] Half(byte[] bytes) => bytes[..(bytes.Length / 2)];

    /// <summary>Writes <paramref name="size"/> as the uncompressed size in the local and central headers of a one-entry zip.</summary>
    static void PatchZipSizes(byte[] zip, uint size)
    {
        var local = IndexOf(zip, 0x04034b50);
        var central = IndexOf(zip, 0x02014b50);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(local + 22), size);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(central + 24), size);
    }

    static int IndexOf(byte[] bytes, uint signature)
    {
        Span<byte> pattern = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(pattern, signature);
        return bytes.AsSpan().IndexOf(pattern);
    }

    void Write(string name, byte[] bytes) => File.WriteAllBytes(PathOf(name), bytes);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
