using System.ComponentModel.DataAnnotations;

namespace ImageManager.Validation.Archives;

/// <summary>Bound from the <c>ArchiveSafety</c> section; how far an archive may expand before it is refused as a bomb.</summary>
public sealed class ArchiveSafetyOptions
{
    public const string Section = "ArchiveSafety";

    /// <summary>
    /// Most bytes an archive may expand to: the tar stream inside a tar.gz, or every file of a zip together. 64 GiB is
    /// above the largest container images and packages a network function ships, and bounds the disk and the time that
    /// anyone unpacking the archive later spends on it.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxExpandedBytes { get; set; } = 64L << 30;

    /// <summary>
    /// Most times its stored size an archive may expand to. Binaries and text compress 2 to 20 times; deflate cannot pass
    /// about 1 000 : 1, which only long runs of one byte reach, the stuff of zip and gzip bombs. 200 leaves room for
    /// sparse files. Not applied to the first MiB, where tar's 10 KiB record padding alone compresses more than 200 times.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxExpansionRatio { get; set; } = 200;

    /// <summary>
    /// Most entries (files, folders, links) in one archive. Large packages hold some tens of thousands of files; each
    /// entry costs memory in the checks (the zip directory, the names seen) and work in everything that unpacks it.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxEntries { get; set; } = 100_000;
}
