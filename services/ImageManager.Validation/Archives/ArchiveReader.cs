using ImageManager.Validation.Formats;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Archives;

/// <summary>
/// Streams through a tar (plain, or compressed with gzip, xz, bzip2 or zstd), a zip or a cpio (an rpm's payload) and
/// refuses it at the first entry that is unsafe to unpack: a name with a <c>..</c> segment, an absolute path, a drive
/// letter or a backslash; a link that leads outside, or an entry under a link; a name that comes twice; a device, fifo or
/// socket; a zip entry whose local header names another file; more entries, or more expanded bytes, or a higher expansion
/// ratio than <see cref="ArchiveSafetyOptions"/> allows (counted while reading, not taken from headers). Truncated or
/// corrupt archives are refused too, and so are single compressed files that do not decompress to their end. Memory stays
/// at a copy buffer plus a few bytes per entry; each safe entry is handed to an optional <see cref="ArchiveEntryHandler"/>
/// with its data, so a caller can hash or parse it in the same pass.
/// </summary>
public sealed class ArchiveReader
{
    /// <summary>
    /// Without this switch GZipStream takes a truncated gzip for a shorter, complete one, and a cut-off tar.gz would pass.
    /// The csproj sets it (RuntimeHostConfigurationOption); a process that lacks it must not judge archives at all.
    /// </summary>
    public const string StrictDecompressionSwitch = "System.IO.Compression.UseStrictValidation";

    readonly IOptions<ArchiveSafetyOptions> _options;

    public ArchiveReader(IOptions<ArchiveSafetyOptions> options)
    {
        if (!AppContext.TryGetSwitch(StrictDecompressionSwitch, out var strict) || !strict)
        {
            throw new InvalidOperationException($"Archives are read only in a process started with the runtime switch {StrictDecompressionSwitch} set.");
        }

        _options = options;
    }

    public async Task<ArchiveReading> ReadAsync(
        Stream archive,
        ArchiveFormat format,
        ArchiveEntryHandler? handler = null,
        SymbolicLinkRule symbolicLinks = SymbolicLinkRule.MustStayInside,
        CancellationToken cancellationToken = default)
    {
        archive.Position = 0;
        var budget = new ExpansionBudget(_options.Value, archive.Length);
        var walk = new ArchiveWalk(_options.Value, budget, handler, symbolicLinks);
        try
        {
            var reading = format switch
            {
                ArchiveFormat.Tar => walk.ReadTarAsync(archive, ArchiveCompression.None, cancellationToken),
                ArchiveFormat.GzipTar => walk.ReadTarAsync(archive, ArchiveCompression.Gzip, cancellationToken),
                ArchiveFormat.XzTar => walk.ReadTarAsync(archive, ArchiveCompression.Xz, cancellationToken),
                ArchiveFormat.Bzip2Tar => walk.ReadTarAsync(archive, ArchiveCompression.Bzip2, cancellationToken),
                ArchiveFormat.ZstdTar => walk.ReadTarAsync(archive, ArchiveCompression.Zstd, cancellationToken),
                ArchiveFormat.Zip => walk.ReadZipAsync(archive, cancellationToken),
                ArchiveFormat.Gzip => walk.ReadCompressedFileAsync(archive, ArchiveCompression.Gzip, cancellationToken),
                ArchiveFormat.Xz => walk.ReadCompressedFileAsync(archive, ArchiveCompression.Xz, cancellationToken),
                ArchiveFormat.Bzip2 => walk.ReadCompressedFileAsync(archive, ArchiveCompression.Bzip2, cancellationToken),
                ArchiveFormat.Zstd => walk.ReadCompressedFileAsync(archive, ArchiveCompression.Zstd, cancellationToken),
                ArchiveFormat.Cpio => walk.ReadCpioAsync(archive, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not an archive format this reader knows."),
            };
            await reading;
            return new ArchiveReading(null, walk.Entries, budget.ExpandedBytes);
        }
        catch (ArchiveRefusedException refused)
        {
            return Refused(refused.Message);
        }
        catch (EndOfStreamException)
        {
            return Refused("the archive is truncated: it ends in the middle of an entry or a header");
        }
        catch (Exception corrupt) when (corrupt is InvalidDataException or FormatException or NotSupportedException or OverflowException or ArgumentException)
        {
            return Refused($"the archive is corrupt or truncated ({corrupt.Message.TrimEnd('.')})");
        }

        ArchiveReading Refused(string problem) =>
            new(walk.Current is { } entry ? $"{problem} (while reading entry {ReasonText.Quote(entry)})" : problem, walk.Entries, budget.ExpandedBytes);
    }
}
