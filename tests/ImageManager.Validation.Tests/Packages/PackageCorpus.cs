using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ImageManager.Validation.Tests.Archives;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>
/// Software packages written once per test class into a temporary folder: one of every type the check recognises,
/// and the broken and unsafe ones.
/// </summary>
public sealed class PackageCorpus : IDisposable
{
    // Valid packages.
    public const string TarGz = "agent.tar.gz";
    public const string HelmChart = "vnf-chart-1.0.0.tgz";
    public const string TwoFoldersWithChartTarGz = "two-folders.tar.gz";
    public const string Tar = "agent.tar";
    public const string V7Tar = "agent-v7.tar";
    public const string Zip = "agent.zip";
    public const string EmptyZip = "empty.zip";
    public const string Deb = "vnf-agent_1.0_amd64.deb";
    public const string XzDeb = "vnf-agent-xz_1.0_amd64.deb";
    public const string ZstdDeb = "vnf-agent-zstd_1.0_amd64.deb";
    public const string Rpm = "vnf-agent-1.0-1.x86_64.rpm";
    public const string XzRpm = "vnf-agent-xz-1.0-1.x86_64.rpm";
    public const string ZstdRpm = "vnf-agent-zstd-1.0-1.x86_64.rpm";
    public const string Bzip2Rpm = "vnf-agent-bzip2-1.0-1.x86_64.rpm";
    public const string UncompressedRpm = "vnf-agent-plain-1.0-1.x86_64.rpm";
    public const string CrcCpioRpm = "vnf-agent-crc-1.0-1.x86_64.rpm";
    public const string TarXz = "agent.tar.xz";
    public const string TarBz2 = "agent.tar.bz2";
    public const string TarZst = "agent.tar.zst";
    public const string Gzip = "notes.txt.gz";
    public const string Xz = "notes.txt.xz";
    public const string Bzip2 = "notes.txt.bz2";
    public const string Zstd = "notes.txt.zst";
    public const string Binary = "agent.bin";

    // Broken or unsafe packages.
    public const string DotDotTarGz = "evil.tar.gz";
    public const string TruncatedTarGz = "truncated.tar.gz";
    public const string DotDotTarXz = "evil.tar.xz";
    public const string EscapingSymbolicLinkTarBz2 = "evil-link.tar.bz2";
    public const string DeviceTarZst = "device.tar.zst";
    public const string TruncatedTarXz = "truncated.tar.xz";
    public const string TruncatedTarBz2 = "truncated.tar.bz2";
    public const string TruncatedTarZst = "truncated.tar.zst";
    public const string CorruptXz = "corrupt.xz";
    public const string TruncatedBzip2 = "truncated.txt.bz2";
    public const string TruncatedZstd = "truncated.txt.zst";
    public const string EscapingXzDeb = "evil-xz_1.0_amd64.deb";
    public const string DotDotRpm = "evil-1.0-1.x86_64.rpm";
    public const string AbsoluteNameRpm = "absolute-1.0-1.x86_64.rpm";
    public const string DeviceRpm = "device-1.0-1.x86_64.rpm";
    public const string DuplicateRpm = "duplicate-1.0-1.x86_64.rpm";
    public const string EntryUnderLinkRpm = "entry-under-link-1.0-1.x86_64.rpm";
    public const string TruncatedGzipPayloadRpm = "truncated-gzip-payload.rpm";
    public const string TruncatedXzPayloadRpm = "truncated-xz-payload.rpm";
    public const string CorruptCpioFieldRpm = "corrupt-cpio-field.rpm";
    public const string CorruptCpioMagicRpm = "corrupt-cpio-magic.rpm";
    public const string CrcMismatchRpm = "crc-mismatch.rpm";
    public const string NoTrailerRpm = "no-trailer.rpm";
    public const string DataAfterTrailerRpm = "data-after-trailer.rpm";
    public const string LzmaPayloadRpm = "lzma-payload.rpm";
    public const string StrippedCpioRpm = "stripped-cpio.rpm";
    public const string EscapingDeb = "evil_1.0_amd64.deb";
    public const string TruncatedDeb = "truncated_1.0_amd64.deb";
    public const string NoDataDeb = "no-data_1.0_amd64.deb";
    public const string TruncatedRpm = "truncated.rpm";
    public const string CorruptRpm = "corrupt.rpm";
    public const string CorruptZip = "corrupt.zip";
    public const string CorruptGzip = "corrupt.gz";
    public const string SelfExtractingZip = "installer.bin";
    public const string ZipConcatenatedToBinary = "installer-concatenated.bin";

    public PackageCorpus()
    {
        Folder = Directory.CreateTempSubdirectory("imagemanager-packages-").FullName;
        WriteValidPackages();
        WriteBrokenPackages();
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    void WriteValidPackages()
    {
        Write(TarGz, TestArchive.TarGz(AgentFiles()));
        Write(HelmChart, TestArchive.TarGz(
            TestArchive.File("vnf-chart/Chart.yaml", "apiVersion: v2\nname: vnf-chart\nversion: 1.0.0\n"),
            TestArchive.File("vnf-chart/values.yaml", "replicas: 2\n"),
            TestArchive.File("vnf-chart/templates/deployment.yaml", "kind: Deployment\n")));
        Write(TwoFoldersWithChartTarGz, TestArchive.TarGz(
            TestArchive.File("vnf-chart/Chart.yaml", "apiVersion: v2\nname: vnf-chart\nversion: 1.0.0\n"),
            TestArchive.File("extras/readme.txt", "not a chart: two top-level folders\n")));
        Write(Tar, TestArchive.Tar(AgentFiles()));
        using (var v7 = File.Create(PathOf(V7Tar)))
        using (var writer = new TarWriter(v7, TarEntryFormat.V7))
        {
            writer.WriteEntry(new V7TarEntry(TarEntryType.V7RegularFile, "agent/readme.txt") { DataStream = new MemoryStream(TestArchive.Text("old format")) });
        }

        Write(Zip, TestArchive.Zip(("agent/bin/agent", RandomNumberGenerator.GetBytes(4096)), ("agent/agent.conf", TestArchive.Text("port=8080\n"))));
        Write(EmptyZip, TestArchive.Zip([]));
        Write(Deb, DebPackage(
            TestArchive.TarGz(TestArchive.Folder("./"), TestArchive.File("./control", "Package: vnf-agent\nVersion: 1.0\n")),
            TestArchive.TarGz(
                TestArchive.Folder("./"),
                TestArchive.Folder("./usr/"),
                TestArchive.Folder("./usr/bin/"),
                TestArchive.File("./usr/bin/vnf-agent", RandomNumberGenerator.GetBytes(2048)),
                TestArchive.SymbolicLink("./usr/bin/agent", "/etc/alternatives/agent")))); // absolute links are normal in a deb's data
        Write(XzDeb, DebPackage(".xz", CompressionTool.Xz, ControlTar(), DataTar()));
        Write(ZstdDeb, DebPackage(".zst", CompressionTool.Zstd, ControlTar(), DataTar()));
        Write(Rpm, RpmFile.Create(TestArchive.Gzip(AgentCpio())));
        Write(XzRpm, RpmFile.Create(CompressionTool.Xz(AgentCpio())));
        Write(ZstdRpm, RpmFile.Create(CompressionTool.Zstd(AgentCpio())));
        Write(Bzip2Rpm, RpmFile.Create(CompressionTool.Bzip2(AgentCpio())));
        Write(UncompressedRpm, RpmFile.Create(AgentCpio()));
        Write(CrcCpioRpm, RpmFile.Create(CompressionTool.Xz(RpmFile.Cpio(RpmFile.CrcMagic, AgentCpioEntries()))));
        Write(TarXz, TestArchive.TarXz(AgentFiles()));
        Write(TarBz2, TestArchive.TarBz2(AgentFiles()));
        Write(TarZst, TestArchive.TarZst(AgentFiles()));
        Write(Gzip, TestArchive.Gzip(ReleaseNotes()));
        Write(Xz, CompressionTool.Xz(ReleaseNotes()));
        Write(Bzip2, CompressionTool.Bzip2(ReleaseNotes()));
        Write(Zstd, CompressionTool.Zstd(ReleaseNotes()));
        Write(Binary, RandomNumberGenerator.GetBytes(8192));
    }

    void WriteBrokenPackages()
    {
        Write(DotDotTarGz, TestArchive.TarGz(TestArchive.File("agent/readme.txt", "hello"), TestArchive.File("../evil.sh", "rm -rf /")));
        var tarGz = File.ReadAllBytes(PathOf(TarGz));
        Write(TruncatedTarGz, tarGz[..(tarGz.Length * 2 / 3)]);
        Write(EscapingDeb, DebPackage(
            TestArchive.TarGz(TestArchive.File("./control", "Package: evil\n")),
            TestArchive.TarGz(TestArchive.File("./usr/bin/tool", "x"), TestArchive.HardLink("./usr/bin/shadow", "../etc/shadow"))));
        var deb = File.ReadAllBytes(PathOf(Deb));
        Write(TruncatedDeb, deb[..(deb.Length - 100)]);
        Write(NoDataDeb, ArArchive.Create(("debian-binary", TestArchive.Text("2.0\n")), ("control.tar.gz", TestArchive.TarGz(TestArchive.File("./control", "x")))));
        var rpm = File.ReadAllBytes(PathOf(Rpm));
        Write(TruncatedRpm, rpm[..150]);
        var corruptRpm = (byte[])rpm.Clone();
        corruptRpm[96 + 56] = 0; // the header's magic
        Write(CorruptRpm, corruptRpm);

        Write(DotDotTarXz, TestArchive.TarXz(TestArchive.File("agent/readme.txt", "hello"), TestArchive.File("../evil.sh", "rm -rf /")));
        Write(EscapingSymbolicLinkTarBz2, TestArchive.TarBz2(TestArchive.Folder("agent/"), TestArchive.SymbolicLink("agent/passwd", "../../etc/passwd")));
        Write(DeviceTarZst, TestArchive.TarZst(TestArchive.Folder("dev/"), TestArchive.CharacterDevice("dev/mem")));
        Write(TruncatedTarXz, Cut(TarXz, keep: 0.5));
        Write(TruncatedTarBz2, Cut(TarBz2, keep: 0.9));
        Write(TruncatedTarZst, Cut(TarZst, keep: 0.99));
        Write(CorruptXz, XzBytes());
        Write(TruncatedBzip2, Cut(Bzip2, keep: 0.95));
        Write(TruncatedZstd, Cut(Zstd, keep: 0.95));
        Write(EscapingXzDeb, DebPackage(".xz", CompressionTool.Xz,
            TestArchive.Tar(TestArchive.File("./control", "Package: evil\n")),
            TestArchive.Tar(TestArchive.File("./usr/bin/tool", "x"), TestArchive.HardLink("./usr/bin/shadow", "../etc/shadow"))));

        Write(DotDotRpm, RpmFile.Create(TestArchive.Gzip(RpmFile.Cpio(
            RpmFile.CpioFile("./usr/bin/vnf-agent", "agent"), RpmFile.CpioFile("./usr/../../etc/cron.d/evil", "* * * * * root evil")))));
        Write(AbsoluteNameRpm, RpmFile.Create(CompressionTool.Xz(RpmFile.Cpio(RpmFile.CpioFile("/etc/passwd", "root::0:0::/:/bin/sh")))));
        Write(DeviceRpm, RpmFile.Create(CompressionTool.Zstd(RpmFile.Cpio(
            RpmFile.CpioFolder("./dev"), RpmFile.CpioCharacterDevice("./dev/mem")))));
        Write(DuplicateRpm, RpmFile.Create(CompressionTool.Bzip2(RpmFile.Cpio(
            RpmFile.CpioFile("./usr/bin/vnf-agent", "checked"), RpmFile.CpioFile("usr/bin/vnf-agent", "something else")))));
        // An rpm's links may point anywhere, as it unpacks into "/"; but nothing may be unpacked through one.
        Write(EntryUnderLinkRpm, RpmFile.Create(CompressionTool.Xz(RpmFile.Cpio(
            RpmFile.CpioSymbolicLink("./opt/agent", "/etc"), RpmFile.CpioFile("./opt/agent/cron.d/evil", "* * * * * root evil")))));
        var gzipPayload = TestArchive.Gzip(AgentCpio());
        Write(TruncatedGzipPayloadRpm, RpmFile.Create(gzipPayload[..(gzipPayload.Length - 10)]));
        var xzPayload = CompressionTool.Xz(AgentCpio());
        Write(TruncatedXzPayloadRpm, RpmFile.Create(xzPayload[..(xzPayload.Length / 2)]));

        var cpio = AgentCpio();
        var corruptField = (byte[])cpio.Clone();
        var agentHeader = cpio.AsSpan().IndexOf("./usr/bin/vnf-agent\0"u8) - 110;
        "zzzzzzzz"u8.CopyTo(corruptField.AsSpan(agentHeader + 6 + (6 * 8))); // its filesize
        Write(CorruptCpioFieldRpm, RpmFile.Create(corruptField));
        var corruptMagic = (byte[])cpio.Clone();
        corruptMagic[agentHeader + 2] = (byte)'x';
        Write(CorruptCpioMagicRpm, RpmFile.Create(TestArchive.Gzip(corruptMagic)));
        var withCrc = RpmFile.Cpio(RpmFile.CrcMagic, AgentCpioEntries());
        withCrc[withCrc.AsSpan().IndexOf("port=8080"u8)] ^= 0x20; // one byte changed after the sum was taken
        Write(CrcMismatchRpm, RpmFile.Create(withCrc));
        var trailer = cpio.AsSpan().IndexOf("TRAILER!!!"u8) - 110;
        Write(NoTrailerRpm, RpmFile.Create(TestArchive.Gzip(cpio[..trailer])));
        Write(DataAfterTrailerRpm, RpmFile.Create(CompressionTool.Xz([.. cpio, .. RpmFile.Cpio(RpmFile.CpioFile("./../evil.sh", "rm -rf /"))])));
        Write(LzmaPayloadRpm, RpmFile.Create([0x5d, 0x00, 0x00, 0x80, 0x00, .. RandomNumberGenerator.GetBytes(512)]));
        Write(StrippedCpioRpm, RpmFile.Create(CompressionTool.Zstd(RpmFile.Cpio("07070X", AgentCpioEntries()))));
        Write(CorruptZip, [.. "PK\x03\x04"u8, .. RandomNumberGenerator.GetBytes(2000)]);
        Write(CorruptGzip, [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, .. RandomNumberGenerator.GetBytes(2000)]);
        Write(SelfExtractingZip, SelfExtracting(RandomNumberGenerator.GetBytes(4096), "../evil.sh"));
        Write(ZipConcatenatedToBinary, [.. RandomNumberGenerator.GetBytes(4096), .. TestArchive.Zip(("../evil.sh", TestArchive.Text("rm -rf /")))]);
    }

    /// <summary>A program with a zip behind it whose offsets count from the file's start, as <c>zip -A</c> makes self-extracting archives.</summary>
    static byte[] SelfExtracting(byte[] stub, string entryName)
    {
        using var file = new MemoryStream();
        file.Write(stub);
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(entryName).Open();
            entry.Write(TestArchive.Text("rm -rf /"));
        }

        return file.ToArray();
    }

    static IEnumerable<TarEntry> AgentFiles() =>
    [
        TestArchive.Folder("agent/"),
        TestArchive.File("agent/bin/agent", RandomNumberGenerator.GetBytes(4096)),
        TestArchive.File("agent/agent.conf", "port=8080\n"),
        TestArchive.SymbolicLink("agent/current", "bin/agent"),
    ];

    static byte[] DebPackage(byte[] controlTarGz, byte[] dataTarGz) => ArArchive.Create(
        ("debian-binary", TestArchive.Text("2.0\n")),
        ("control.tar.gz", controlTarGz),
        ("data.tar.gz", dataTarGz));

    static byte[] DebPackage(string extension, Func<byte[], string[], byte[]> compress, byte[] controlTar, byte[] dataTar) => ArArchive.Create(
        ("debian-binary", TestArchive.Text("2.0\n")),
        ($"control.tar{extension}", compress(controlTar, [])),
        ($"data.tar{extension}", compress(dataTar, [])));

    static byte[] ControlTar() => TestArchive.Tar(TestArchive.Folder("./"), TestArchive.File("./control", "Package: vnf-agent\nVersion: 1.0\n"));

    static byte[] DataTar() => TestArchive.Tar(
        TestArchive.Folder("./"),
        TestArchive.Folder("./usr/"),
        TestArchive.Folder("./usr/bin/"),
        TestArchive.File("./usr/bin/vnf-agent", RandomNumberGenerator.GetBytes(2048)),
        TestArchive.SymbolicLink("./usr/bin/agent", "/etc/alternatives/agent"));

    /// <summary>An rpm's payload as rpm writes it: names relative to "/", folders, a binary, a link to an absolute path.</summary>
    static byte[] AgentCpio() => RpmFile.Cpio(AgentCpioEntries());

    static IEnumerable<(string Name, int Mode, byte[] Data)> AgentCpioEntries() =>
    [
        RpmFile.CpioFolder("./usr"),
        RpmFile.CpioFolder("./usr/bin"),
        RpmFile.CpioFile("./usr/bin/vnf-agent", RandomNumberGenerator.GetBytes(2048)),
        RpmFile.CpioSymbolicLink("./usr/bin/agent", "/etc/alternatives/agent"),
        RpmFile.CpioFile("./etc/vnf-agent.conf", "port=8080\n"),
    ];

    static byte[] ReleaseNotes() => TestArchive.Text(string.Concat(Enumerable.Repeat("release notes\n", 100)));

    /// <summary>The first part of a package already written, as a broken download leaves it.</summary>
    byte[] Cut(string name, double keep)
    {
        var bytes = File.ReadAllBytes(PathOf(name));
        return bytes[..(int)(bytes.Length * keep)];
    }

    /// <summary>The xz magic and stream flags, then bytes no xz decoder accepts.</summary>
    static byte[] XzBytes() => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, .. RandomNumberGenerator.GetBytes(1024)];

    void Write(string name, byte[] bytes) => File.WriteAllBytes(PathOf(name), bytes);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
