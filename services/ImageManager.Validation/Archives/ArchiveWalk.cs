using System.Buffers;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// One walk through one archive: the entry rules, the counts and the budget, and the entry being read (so that a limit
/// crossed in the middle of an entry's data can name it). Every byte of the archive passes through the budget; nothing is
/// skipped by seeking, and nothing is held beyond a copy buffer.
/// </summary>
public sealed class ArchiveWalk(ArchiveSafetyOptions options, ExpansionBudget budget, ArchiveEntryHandler? handler, SymbolicLinkRule symbolicLinks)
{
    const int CopyBufferSize = 128 * 1024;
    const int UnixTypeMask = 0xF000;
    const int UnixRegularFile = 0x8000;
    const int UnixSymbolicLink = 0xA000;
    const int UnixDirectory = 0x4000;
    const int UnixCharacterDevice = 0x2000;
    const int UnixBlockDevice = 0x6000;
    const int UnixFifo = 0x1000;
    const int UnixSocket = 0xC000;

    readonly SeenEntryNames _seen = new();
    readonly SymbolicLinkNames _links = new();

    public int Entries { get; private set; }

    /// <summary>The entry whose data is being read, if any.</summary>
    public string? Current { get; private set; }

    public async Task ReadTarAsync(Stream archive, ArchiveCompression compression, CancellationToken cancellationToken)
    {
        if (compression == ArchiveCompression.None)
        {
            await ReadTarStreamAsync(new ExpansionLimitedStream(archive, budget), cancellationToken);
            return;
        }

        await using var decompressed = Decompression.Open(archive, compression);
        await ReadTarStreamAsync(new ExpansionLimitedStream(decompressed, budget), cancellationToken);
    }

    /// <summary>One compressed file: read to its end, so that the decoder checks its lengths and checksums, within the budget.</summary>
    public async Task ReadCompressedFileAsync(Stream archive, ArchiveCompression compression, CancellationToken cancellationToken)
    {
        await using var decompressed = Decompression.Open(archive, compression);
        await DrainAsync(new ExpansionLimitedStream(decompressed, budget), cancellationToken);
    }

    /// <summary>A cpio archive, compressed or not as its first bytes say (an rpm's payload).</summary>
    public async Task ReadCpioAsync(Stream archive, CancellationToken cancellationToken)
    {
        var start = new byte[8];
        var read = await archive.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken);
        archive.Seek(-read, SeekOrigin.Current);
        var compression = Decompression.Detect(start.AsSpan(0, read));
        if (compression == ArchiveCompression.None)
        {
            if (!start.AsSpan(0, read).StartsWith("0707"u8))
            {
                throw new ArchiveRefusedException(
                    $"the archive is neither cpio nor compressed with gzip, xz, bzip2 or zstd (it starts with {Convert.ToHexStringLower(start, 0, Math.Min(read, 4))})");
            }

            await ReadCpioStreamAsync(new ExpansionLimitedStream(archive, budget), cancellationToken);
            return;
        }

        await using var decompressed = Decompression.Open(archive, compression);
        await ReadCpioStreamAsync(new ExpansionLimitedStream(decompressed, budget), cancellationToken);
    }

    public async Task ReadZipAsync(Stream archive, CancellationToken cancellationToken)
    {
        var file = new HeaderReader(archive);
        if (ZipCentralDirectory.Locate(file) is { } location)
        {
            if (ZipCentralDirectory.CountEntries(file, location, options.MaxEntries) > options.MaxEntries)
            {
                throw TooManyEntries();
            }

            if (ZipCentralDirectory.FindLocalNameMismatch(file, location) is { } problem)
            {
                throw new ArchiveRefusedException(problem);
            }
        }

        archive.Position = 0;
        await using var zip = await ZipArchive.CreateAsync(archive, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        foreach (var zipEntry in zip.Entries)
        {
            await ReadZipEntryAsync(zipEntry, cancellationToken);
        }
    }

    async Task ReadTarStreamAsync(Stream expanded, CancellationToken cancellationToken)
    {
        var metadataLimit = new TarMetadataLimitStream(expanded);
        await using (var reader = new TarReader(metadataLimit, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } tarEntry)
            {
                if (tarEntry.EntryType == TarEntryType.GlobalExtendedAttributes)
                {
                    continue; // defaults for the whole archive, not a file
                }

                var entry = Admit(tarEntry.Name, KindOf(tarEntry), tarEntry.LinkName);
                var content = entry.Kind == ArchiveEntryKind.File ? new CountingReadStream(tarEntry.DataStream ?? Stream.Null) : null;
                await VisitAsync(entry, content, cancellationToken);
                if (content is not null && content.BytesRead != tarEntry.Length)
                {
                    throw new ArchiveRefusedException(
                        $"the archive is truncated: entry {ReasonText.Quote(entry.Name)} should hold {tarEntry.Length} bytes, but the archive ends after {content.BytesRead}");
                }
            }
        }

        metadataLimit.StopWatching();
        await CheckEndPaddingAsync(expanded, cancellationToken);
    }

    async Task ReadCpioStreamAsync(Stream expanded, CancellationToken cancellationToken)
    {
        var reader = new CpioReader(expanded);
        while (await reader.GetNextEntryAsync(cancellationToken) is { } cpioEntry)
        {
            var kind = KindOf(cpioEntry);
            var linkTarget = kind == ArchiveEntryKind.SymbolicLink ? await ReadLinkTargetAsync(cpioEntry.Data, cpioEntry.Name, cancellationToken) : null;
            var entry = Admit(cpioEntry.Name, kind, linkTarget);
            await VisitAsync(entry, kind == ArchiveEntryKind.File ? cpioEntry.Data : null, cancellationToken);
        }

        await CheckEndPaddingAsync(expanded, cancellationToken);
    }

    async Task ReadZipEntryAsync(ZipArchiveEntry zipEntry, CancellationToken cancellationToken)
    {
        var unixType = (zipEntry.ExternalAttributes >> 16) & UnixTypeMask;
        var kind = unixType switch
        {
            UnixSymbolicLink => ArchiveEntryKind.SymbolicLink,
            UnixDirectory => ArchiveEntryKind.Directory,
            UnixCharacterDevice or UnixBlockDevice or UnixFifo or UnixSocket => throw new ArchiveRefusedException(
                $"entry {ReasonText.Quote(zipEntry.FullName)} is a device, fifo or socket; an archive may hold only files, folders and links"),
            _ => zipEntry.FullName.EndsWith('/') ? ArchiveEntryKind.Directory : ArchiveEntryKind.File,
        };

        await using var raw = await zipEntry.OpenAsync(cancellationToken);
        // .NET's zip reader does not compare an entry's bytes with the CRC-32 its header records, so a corrupt stored
        // entry, or one cut to a smaller declared size, would otherwise read as fine.
        var checksum = new Crc32();
        var content = new ExpansionLimitedStream(raw, budget, checksum);
        var linkTarget = kind == ArchiveEntryKind.SymbolicLink ? await ReadLinkTargetAsync(content, zipEntry.FullName, cancellationToken) : null;
        var entry = Admit(zipEntry.FullName, kind, linkTarget);
        await VisitAsync(entry, entry.Kind == ArchiveEntryKind.File ? content : null, cancellationToken);
        if (entry.Kind != ArchiveEntryKind.File)
        {
            Current = entry.Name;
            await DrainAsync(content, cancellationToken); // a folder's or link's bytes still count, and still have a CRC
            Current = null;
        }

        if (content.BytesRead != zipEntry.Length)
        {
            throw new ArchiveRefusedException(
                $"entry {ReasonText.Quote(zipEntry.FullName)} is corrupt: it holds {content.BytesRead} bytes, but the zip says {zipEntry.Length}");
        }

        if (checksum.GetCurrentHashAsUInt32() != zipEntry.Crc32)
        {
            throw new ArchiveRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"entry {ReasonText.Quote(zipEntry.FullName)} is corrupt: its bytes have CRC-32 {checksum.GetCurrentHashAsUInt32():x8}, but the zip says {zipEntry.Crc32:x8}"));
        }
    }

    /// <summary>Applies the rules to an entry's name and link; throws the reason when one is broken.</summary>
    ArchiveEntry Admit(string rawName, ArchiveEntryKind kind, string? linkTarget)
    {
        if (++Entries > options.MaxEntries)
        {
            throw TooManyEntries();
        }

        var name = EntryNames.Normalize(rawName);
        if (name.Length == 0)
        {
            return kind == ArchiveEntryKind.Directory
                ? new ArchiveEntry(name, kind, null)
                : throw new ArchiveRefusedException($"entry {ReasonText.Quote(rawName)} names the archive's root folder, but is not a folder");
        }

        _seen.Add(name);
        _links.CheckNotUnderLink(name);
        var target = kind switch
        {
            ArchiveEntryKind.HardLink => EntryNames.ResolveHardLink(name, linkTarget ?? ""),
            ArchiveEntryKind.SymbolicLink when symbolicLinks == SymbolicLinkRule.MustStayInside => EntryNames.ResolveSymbolicLink(name, linkTarget ?? ""),
            _ => null,
        };
        if (kind == ArchiveEntryKind.SymbolicLink)
        {
            _links.Add(name);
        }

        return new ArchiveEntry(name, kind, target);
    }

    async Task VisitAsync(ArchiveEntry entry, Stream? content, CancellationToken cancellationToken)
    {
        Current = entry.Name;
        if (handler is not null && entry.Name.Length > 0)
        {
            await handler(entry, content, cancellationToken);
        }

        if (content is not null)
        {
            await DrainAsync(content, cancellationToken);
        }

        Current = null;
    }

    static ArchiveEntryKind KindOf(TarEntry entry) => entry.EntryType switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => ArchiveEntryKind.File,
        TarEntryType.Directory => ArchiveEntryKind.Directory,
        TarEntryType.SymbolicLink => ArchiveEntryKind.SymbolicLink,
        TarEntryType.HardLink => ArchiveEntryKind.HardLink,
        TarEntryType.CharacterDevice => throw NotAFile(entry.Name, "a character device"),
        TarEntryType.BlockDevice => throw NotAFile(entry.Name, "a block device"),
        TarEntryType.Fifo => throw NotAFile(entry.Name, "a fifo"),
        _ => throw new ArchiveRefusedException(
            $"entry {ReasonText.Quote(entry.Name)} has the tar entry type {entry.EntryType}, which is not accepted (only files, folders and links are)"),
    };

    /// <summary>
    /// A cpio entry's kind from its mode. Hard links have no kind of their own in cpio: entries that share an inode number
    /// are linked by the extractor, and each is checked by its own name, so each is a file here.
    /// </summary>
    static ArchiveEntryKind KindOf(CpioEntry entry) => entry.FileType switch
    {
        UnixRegularFile => ArchiveEntryKind.File,
        UnixDirectory => ArchiveEntryKind.Directory,
        UnixSymbolicLink => ArchiveEntryKind.SymbolicLink,
        UnixCharacterDevice => throw NotAFile(entry.Name, "a character device"),
        UnixBlockDevice => throw NotAFile(entry.Name, "a block device"),
        UnixFifo => throw NotAFile(entry.Name, "a fifo"),
        UnixSocket => throw NotAFile(entry.Name, "a socket"),
        _ => throw new ArchiveRefusedException(string.Create(CultureInfo.InvariantCulture,
            $"entry {ReasonText.Quote(entry.Name)} has the cpio mode {Convert.ToString(entry.Mode, 8)}, whose file type is not accepted (only files, folders and links are)")),
    };

    static ArchiveRefusedException NotAFile(string name, string what) =>
        new($"entry {ReasonText.Quote(name)} is {what}; an archive may hold only files, folders and links");

    ArchiveRefusedException TooManyEntries() =>
        new(string.Create(CultureInfo.InvariantCulture, $"the archive has more than the limit of {options.MaxEntries:N0} entries"));

    /// <summary>A zip stores a symbolic link's target as the entry's content.</summary>
    static async Task<string> ReadLinkTargetAsync(Stream content, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[EntryNames.MaxLength + 1];
        var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read > EntryNames.MaxLength
            ? throw new ArchiveRefusedException($"the target of symbolic link {ReasonText.Quote(name)} is longer than {EntryNames.MaxLength} characters")
            : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>
    /// After a tar's end-of-archive marker only zeros belong (the record padding). Anything else is a second archive that
    /// extractors told to ignore zero blocks (<c>tar -i</c>) would unpack without these checks.
    /// </summary>
    static async Task CheckEndPaddingAsync(Stream expanded, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            while ((read = await expanded.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
            {
                if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                {
                    throw new ArchiveRefusedException("the archive has data after its end-of-archive marker, which some extractors would unpack unchecked");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static async Task DrainAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
