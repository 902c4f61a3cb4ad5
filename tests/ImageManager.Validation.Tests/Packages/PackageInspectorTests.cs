using ImageManager.Validation.Archives;
using ImageManager.Validation.Packages;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Packages;

public sealed class PackageInspectorTests(PackageCorpus corpus) : IClassFixture<PackageCorpus>
{
    [Theory]
    [InlineData(PackageCorpus.TarGz, "tar.gz")]
    [InlineData(PackageCorpus.HelmChart, "helm-chart")]
    [InlineData(PackageCorpus.TwoFoldersWithChartTarGz, "tar.gz")]
    [InlineData(PackageCorpus.Tar, "tar")]
    [InlineData(PackageCorpus.V7Tar, "tar")]
    [InlineData(PackageCorpus.Zip, "zip")]
    [InlineData(PackageCorpus.EmptyZip, "zip")]
    [InlineData(PackageCorpus.Deb, "deb")]
    [InlineData(PackageCorpus.XzDeb, "deb")]
    [InlineData(PackageCorpus.ZstdDeb, "deb")]
    [InlineData(PackageCorpus.Rpm, "rpm")]
    [InlineData(PackageCorpus.XzRpm, "rpm")]
    [InlineData(PackageCorpus.ZstdRpm, "rpm")]
    [InlineData(PackageCorpus.Bzip2Rpm, "rpm")]
    [InlineData(PackageCorpus.UncompressedRpm, "rpm")]
    [InlineData(PackageCorpus.CrcCpioRpm, "rpm")]
    [InlineData(PackageCorpus.TarXz, "tar.xz")]
    [InlineData(PackageCorpus.TarBz2, "tar.bz2")]
    [InlineData(PackageCorpus.TarZst, "tar.zst")]
    [InlineData(PackageCorpus.Gzip, "gzip")]
    [InlineData(PackageCorpus.Xz, "xz")]
    [InlineData(PackageCorpus.Bzip2, "bzip2")]
    [InlineData(PackageCorpus.Zstd, "zstd")]
    [InlineData(PackageCorpus.Binary, "binary")]
    public async Task When_a_package_is_sound_it_is_accepted_as_what_its_bytes_are(string package, string type)
    {
        var inspection = await Inspect(package);

        Assert.Null(inspection.Problem);
        Assert.Equal(type, inspection.Type);
    }

    [Theory]
    [InlineData(PackageCorpus.DotDotTarGz, "tar.gz", "entry '../evil.sh' has a '..' path segment")]
    [InlineData(PackageCorpus.EscapingDeb, "deb", "in its data.tar.gz, hard link 'usr/bin/shadow' points outside the archive ('../etc/shadow')")]
    [InlineData(PackageCorpus.NoDataDeb, "deb", "it has no data.tar member")]
    [InlineData(PackageCorpus.CorruptRpm, "rpm", "it is corrupt: there is no header at offset 152")]
    [InlineData(PackageCorpus.TruncatedRpm, "rpm", "it is truncated: the header at offset 152 is cut off by the end of the file")]
    [InlineData(PackageCorpus.SelfExtractingZip, "zip", "entry '../evil.sh' has a '..' path segment")]
    [InlineData(PackageCorpus.DotDotTarXz, "tar.xz", "entry '../evil.sh' has a '..' path segment")]
    [InlineData(PackageCorpus.EscapingSymbolicLinkTarBz2, "tar.bz2", "symbolic link 'agent/passwd' points outside the archive ('../../etc/passwd')")]
    [InlineData(PackageCorpus.DeviceTarZst, "tar.zst", "entry 'dev/mem' is a character device; an archive may hold only files, folders and links")]
    [InlineData(PackageCorpus.EscapingXzDeb, "deb", "in its data.tar.xz, hard link 'usr/bin/shadow' points outside the archive ('../etc/shadow')")]
    [InlineData(PackageCorpus.DotDotRpm, "rpm", "in its payload, entry './usr/../../etc/cron.d/evil' has a '..' path segment")]
    [InlineData(PackageCorpus.AbsoluteNameRpm, "rpm", "in its payload, entry '/etc/passwd' is an absolute path")]
    [InlineData(PackageCorpus.DeviceRpm, "rpm", "in its payload, entry './dev/mem' is a character device; an archive may hold only files, folders and links")]
    [InlineData(PackageCorpus.DuplicateRpm, "rpm", "in its payload, entry 'usr/bin/vnf-agent' appears more than once")]
    [InlineData(PackageCorpus.EntryUnderLinkRpm, "rpm",
        "in its payload, entry 'opt/agent/cron.d/evil' lies under symbolic link 'opt/agent', so unpacking it would write wherever that link leads")]
    [InlineData(PackageCorpus.CorruptCpioFieldRpm, "rpm", "in its payload, the cpio header of entry './usr/bin/vnf-agent' is corrupt: its filesize is not 8 hexadecimal digits")]
    [InlineData(PackageCorpus.CorruptCpioMagicRpm, "rpm", "in its payload, the cpio header after entry './usr/bin' is corrupt: it starts with '07x701', where 070701 or 070702 belongs")]
    [InlineData(PackageCorpus.NoTrailerRpm, "rpm", "in its payload, the archive is truncated: it ends after entry './etc/vnf-agent.conf', without cpio's TRAILER!!! entry")]
    [InlineData(PackageCorpus.DataAfterTrailerRpm, "rpm", "in its payload, the archive has data after its end-of-archive marker, which some extractors would unpack unchecked")]
    [InlineData(PackageCorpus.LzmaPayloadRpm, "rpm", "in its payload, the archive is neither cpio nor compressed with gzip, xz, bzip2 or zstd (it starts with 5d000080)")]
    [InlineData(PackageCorpus.StrippedCpioRpm, "rpm",
        "in its payload, the archive is in rpm's stripped cpio format (07070X), which keeps the names of its files in the rpm header; it is not inspected")]
    public async Task When_a_package_is_unsafe_or_broken_it_is_refused_saying_why(string package, string type, string problem)
    {
        var inspection = await Inspect(package);

        Assert.Equal(type, inspection.Type);
        Assert.Equal(problem, inspection.Problem);
    }

    [Theory]
    [InlineData(PackageCorpus.TruncatedTarGz, "tar.gz", "the archive is corrupt or truncated (")]
    [InlineData(PackageCorpus.TruncatedDeb, "deb", "it is truncated: member 'data.tar.gz' needs ")]
    [InlineData(PackageCorpus.CorruptZip, "zip", "the archive is corrupt or truncated (")]
    [InlineData(PackageCorpus.CorruptGzip, "gzip", "the archive is corrupt or truncated (")]
    [InlineData(PackageCorpus.ZipConcatenatedToBinary, "zip", "the archive is corrupt or truncated (")]
    [InlineData(PackageCorpus.TruncatedTarXz, "tar.xz", "the archive is corrupt or truncated (xz: ")]
    [InlineData(PackageCorpus.TruncatedTarBz2, "bzip2", "the archive is corrupt or truncated (bzip2: ")] // bzip2 gives nothing of a cut block: no tar to see
    [InlineData(PackageCorpus.TruncatedTarZst, "zstd", "the archive is corrupt or truncated (zstd: ")] // its one block is cut: likewise
    [InlineData(PackageCorpus.CorruptXz, "xz", "the archive is corrupt or truncated (xz: ")]
    [InlineData(PackageCorpus.TruncatedBzip2, "bzip2", "the archive is corrupt or truncated (bzip2: ")]
    [InlineData(PackageCorpus.TruncatedZstd, "zstd", "the archive is corrupt or truncated (zstd: ")]
    [InlineData(PackageCorpus.TruncatedGzipPayloadRpm, "rpm", "in its payload, the archive is corrupt or truncated (gzip: ")]
    [InlineData(PackageCorpus.TruncatedXzPayloadRpm, "rpm", "in its payload, the archive is corrupt or truncated (xz: ")]
    [InlineData(PackageCorpus.CrcMismatchRpm, "rpm", "in its payload, entry './etc/vnf-agent.conf' is corrupt: its bytes add up to ")]
    public async Task When_a_package_claims_an_archive_format_but_is_cut_or_damaged_it_is_refused(string package, string type, string problem)
    {
        var inspection = await Inspect(package);

        Assert.Equal(type, inspection.Type);
        Assert.NotNull(inspection.Problem);
        Assert.StartsWith(problem, inspection.Problem, StringComparison.Ordinal);
    }

    async Task<PackageInspection> Inspect(string package)
    {
        var options = Options.Create(new ArchiveSafetyOptions());
        var archives = new ArchiveReader(options);
        await using var content = File.OpenRead(corpus.PathOf(package));
        return await new PackageInspector(archives, new DebPackageInspector(archives, options), new RpmPackageInspector(archives)).InspectAsync(content, CancellationToken.None);
    }
}
