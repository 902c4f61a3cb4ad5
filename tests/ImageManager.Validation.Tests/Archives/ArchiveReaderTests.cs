using ImageManager.Validation.Archives;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Archives;

public sealed class ArchiveReaderTests(ArchiveCorpus corpus) : IClassFixture<ArchiveCorpus>
{
    [Theory]
    [InlineData(ArchiveCorpus.SafeTarGz)]
    [InlineData(ArchiveCorpus.SafeTar)]
    [InlineData(ArchiveCorpus.SafeZip)]
    [InlineData(ArchiveCorpus.LongNamesGnuTar)]
    [InlineData(ArchiveCorpus.PaxSizeRecordTar)]
    [InlineData(ArchiveCorpus.SafeTarXz)]
    [InlineData(ArchiveCorpus.SafeTarBz2)]
    [InlineData(ArchiveCorpus.SafeTarZst)]
    [InlineData(ArchiveCorpus.SplitAcrossXzStreamsTarXz)]
    public async Task When_an_archive_is_safe_it_is_read_to_the_end(string archive)
    {
        var reading = await Read(archive);

        Assert.Null(reading.Problem);
        Assert.True(reading.Entries > 0);
    }

    [Fact]
    public async Task When_a_safe_tar_is_read_the_handler_gets_normalised_names_and_where_links_lead()
    {
        var entries = new List<ArchiveEntry>();
        var contents = new Dictionary<string, string>();

        var reading = await Read(ArchiveCorpus.SafeTarGz, handler: async (entry, content, cancellationToken) =>
        {
            entries.Add(entry);
            if (content is not null)
            {
                contents[entry.Name] = await new StreamReader(content).ReadToEndAsync(cancellationToken);
            }
        });

        Assert.Null(reading.Problem);
        Assert.Equal(7, reading.Entries); // the root folder "./" counts, and is not handed over
        Assert.Equal(
            [
                new ArchiveEntry("app", ArchiveEntryKind.Directory, null),
                new ArchiveEntry("app/bin/run.sh", ArchiveEntryKind.File, null),
                new ArchiveEntry("app/etc/app.conf", ArchiveEntryKind.File, null),
                new ArchiveEntry("app/current", ArchiveEntryKind.SymbolicLink, "app/bin/run.sh"),
                new ArchiveEntry("app/etc/run", ArchiveEntryKind.SymbolicLink, "app/bin/run.sh"),
                new ArchiveEntry("app/bin/start.sh", ArchiveEntryKind.HardLink, "app/bin/run.sh"),
            ],
            entries);
        Assert.Equal("port=8080\n", contents["app/etc/app.conf"]);
    }

    [Theory]
    [InlineData(ArchiveCorpus.DotDotTarGz, "entry 'app/../../evil.sh' has a '..' path segment")]
    [InlineData(ArchiveCorpus.AbsoluteTar, "entry '/etc/cron.d/evil' is an absolute path")]
    [InlineData(ArchiveCorpus.DriveLetterZip, "entry 'C:/Windows/System32/evil.dll' is an absolute path")]
    [InlineData(ArchiveCorpus.BackslashZip, "entry '..\\..\\evil.dll' contains a backslash, a path separator on Windows")]
    [InlineData(ArchiveCorpus.EscapingSymbolicLinkTarGz, "symbolic link 'app/passwd' points outside the archive ('../../etc/passwd')")]
    [InlineData(ArchiveCorpus.AbsoluteSymbolicLinkTar, "symbolic link 'app/passwd' points to an absolute path ('/etc/passwd'), outside the archive")]
    [InlineData(ArchiveCorpus.EscapingHardLinkTarGz, "hard link 'app/shadow' points outside the archive ('../etc/shadow')")]
    [InlineData(ArchiveCorpus.AbsoluteHardLinkTar, "hard link 'app/shadow' points to an absolute path ('/etc/shadow'), outside the archive")]
    [InlineData(ArchiveCorpus.LinkThroughLinkTarGz, "symbolic link 'app/out' has a '..' after a folder name in its target ('here/../../etc')")]
    [InlineData(ArchiveCorpus.EntryUnderLinkTarGz, "entry 'app/up/out' lies under symbolic link 'app/up', so unpacking it would write wherever that link leads")]
    [InlineData(ArchiveCorpus.LocalNameMismatchZip, "entry 'safe.txt' is named '../x.txt' in its local header")]
    [InlineData(ArchiveCorpus.DuplicateTarGz, "entry 'app/run.sh' appears more than once")]
    [InlineData(ArchiveCorpus.DuplicateZip, "entry 'app/run.sh' appears more than once")]
    [InlineData(ArchiveCorpus.DeviceTar, "entry 'dev/mem' is a character device; an archive may hold only files, folders and links")]
    [InlineData(ArchiveCorpus.FifoTarGz, "entry 'app/pipe' is a fifo")]
    [InlineData(ArchiveCorpus.EscapingSymbolicLinkZip, "symbolic link 'app/passwd' points outside the archive ('../../etc/passwd')")]
    [InlineData(ArchiveCorpus.DeviceZip, "entry 'dev/mem' is a device, fifo or socket")]
    [InlineData(ArchiveCorpus.PaxHeaderBombTar, "a pax extended header announces 95.4 MiB (100000000 bytes) of metadata")]
    [InlineData(ArchiveCorpus.SecondArchiveAfterEndTar, "the archive has data after its end-of-archive marker")]
    [InlineData(ArchiveCorpus.EvilSecondStreamTarXz, "entry '../evil.sh' has a '..' path segment")]
    [InlineData(ArchiveCorpus.EvilSecondStreamTarBz2, "entry '../evil.sh' has a '..' path segment")]
    [InlineData(ArchiveCorpus.EvilSecondFrameTarZst, "entry '../evil.sh' has a '..' path segment")]
    public async Task When_an_entry_is_unsafe_the_archive_is_refused_with_a_reason_naming_it(string archive, string reason)
    {
        var reading = await Read(archive);

        Assert.NotNull(reading.Problem);
        Assert.Contains(reason, reading.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ArchiveCorpus.TruncatedTarGz, "the archive is corrupt or truncated (gzip: Found truncated data while decoding)")]
    [InlineData(ArchiveCorpus.TruncatedTarXz, "the archive is corrupt or truncated (xz: ")]
    [InlineData(ArchiveCorpus.TruncatedTarBz2, "the archive is corrupt or truncated (bzip2: ")]
    [InlineData(ArchiveCorpus.TruncatedTarZst, "the archive is corrupt or truncated (zstd: ")]
    [InlineData(ArchiveCorpus.TruncatedTar, "the archive is truncated: entry 'app/bin/run.sh' should hold 18 bytes, but the archive ends after 5")]
    [InlineData(ArchiveCorpus.TruncatedZip, "the archive is corrupt or truncated (End of Central Directory record could not be found)")]
    [InlineData(ArchiveCorpus.CorruptStoredZip, "entry 'app/data.txt' is corrupt: its bytes have CRC-32")]
    [InlineData(ArchiveCorpus.UnderstatedSizeZip, "entry 'zeros.bin' is corrupt: its bytes have CRC-32")]
    public async Task When_an_archive_is_truncated_or_corrupt_it_is_refused(string archive, string reason)
    {
        var reading = await Read(archive);

        Assert.NotNull(reading.Problem);
        Assert.True(reading.Problem.Contains(reason, StringComparison.Ordinal), reading.Problem);
    }

    [Theory]
    [InlineData(ArchiveCorpus.TruncatedTarXz)]
    [InlineData(ArchiveCorpus.TruncatedTarBz2)]
    [InlineData(ArchiveCorpus.TruncatedTarZst)]
    public async Task When_a_compressed_tar_is_cut_in_the_middle_of_an_entry_the_reason_names_it(string archive)
    {
        var reading = await Read(archive);

        Assert.NotNull(reading.Problem);
        Assert.EndsWith("(while reading entry 'random.bin')", reading.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ArchiveCorpus.ZipBomb)]
    [InlineData(ArchiveCorpus.GzipBomb)]
    [InlineData(ArchiveCorpus.XzBomb)]
    [InlineData(ArchiveCorpus.Bzip2Bomb)]
    [InlineData(ArchiveCorpus.ZstdBomb)]
    public async Task When_a_bomb_is_read_it_is_refused_soon_after_the_ratio_is_crossed(string archive)
    {
        var stored = new FileInfo(corpus.PathOf(archive)).Length;

        var reading = await Read(archive);

        Assert.NotNull(reading.Problem);
        Assert.Contains("the archive expands to more than 200 times its stored size", reading.Problem, StringComparison.Ordinal);
        Assert.EndsWith("a compression bomb (while reading entry 'zeros.bin')", reading.Problem, StringComparison.Ordinal);
        Assert.True(stored < 100_000, $"the bomb is small stored: {stored} bytes");
        Assert.InRange(reading.ExpandedBytes, (200 * stored) + 1, ArchiveCorpus.BombBytes / 2); // stopped, far from the end
    }

    [Theory]
    [InlineData(ArchiveCorpus.ZipBomb)]
    [InlineData(ArchiveCorpus.GzipBomb)]
    public async Task When_the_ratio_allows_it_the_same_bomb_is_read_to_the_end(string archive)
    {
        var reading = await Read(archive, new ArchiveSafetyOptions { MaxExpansionRatio = 10_000 });

        Assert.Null(reading.Problem);
        Assert.True(reading.ExpandedBytes >= ArchiveCorpus.BombBytes);
    }

    [Theory]
    [InlineData(ArchiveCorpus.SingleXzBomb)]
    [InlineData(ArchiveCorpus.SingleBzip2Bomb)]
    [InlineData(ArchiveCorpus.SingleZstdBomb)]
    public async Task When_a_single_compressed_file_is_a_bomb_it_is_refused_without_being_read_to_the_end(string file)
    {
        var reading = await Read(file);

        Assert.NotNull(reading.Problem);
        Assert.StartsWith("the archive expands to more than 200 times its stored size", reading.Problem, StringComparison.Ordinal);
        Assert.EndsWith("a compression bomb", reading.Problem, StringComparison.Ordinal);
        Assert.InRange(reading.ExpandedBytes, ExpansionBudget.RatioFloorBytes + 1, ArchiveCorpus.BombBytes / 2);
    }

    [Fact]
    public async Task When_an_archive_expands_past_the_cap_it_is_refused_naming_the_entry()
    {
        var reading = await Read(ArchiveCorpus.RandomTwoMegabytesTarGz, new ArchiveSafetyOptions { MaxExpandedBytes = 1 << 20 });

        Assert.Equal("the archive expands to more than the limit of 1 MiB (1048576 bytes) (while reading entry 'random.bin')", reading.Problem);
        Assert.InRange(reading.ExpandedBytes, (1 << 20) + 1, 2 << 20);
    }

    [Theory]
    [InlineData(ArchiveCorpus.TwelveEntriesTarGz)]
    [InlineData(ArchiveCorpus.TwelveEntriesZip)]
    public async Task When_an_archive_has_more_entries_than_allowed_it_is_refused(string archive)
    {
        var refused = await Read(archive, new ArchiveSafetyOptions { MaxEntries = 11 });
        var allowed = await Read(archive, new ArchiveSafetyOptions { MaxEntries = 12 });

        Assert.Equal("the archive has more than the limit of 11 entries", refused.Problem);
        Assert.Null(allowed.Problem);
    }

    Task<ArchiveReading> Read(string archive, ArchiveSafetyOptions? options = null, ArchiveEntryHandler? handler = null) =>
        ReadFile(corpus.PathOf(archive), options, handler);

    static async Task<ArchiveReading> ReadFile(string path, ArchiveSafetyOptions? options, ArchiveEntryHandler? handler)
    {
        (string Suffix, ArchiveFormat Format)[] formats =
        [
            (".zip", ArchiveFormat.Zip), (".tar.gz", ArchiveFormat.GzipTar), (".tar.xz", ArchiveFormat.XzTar), (".tar.bz2", ArchiveFormat.Bzip2Tar),
            (".tar.zst", ArchiveFormat.ZstdTar), (".xz", ArchiveFormat.Xz), (".bz2", ArchiveFormat.Bzip2), (".zst", ArchiveFormat.Zstd),
        ];
        var format = formats.Where(known => path.EndsWith(known.Suffix, StringComparison.Ordinal)).Select(known => known.Format).DefaultIfEmpty(ArchiveFormat.Tar).First();
        await using var content = File.OpenRead(path);
        return await new ArchiveReader(Options.Create(options ?? new ArchiveSafetyOptions())).ReadAsync(content, format, handler);
    }
}
