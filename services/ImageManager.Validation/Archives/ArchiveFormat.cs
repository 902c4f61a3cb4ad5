namespace ImageManager.Validation.Archives;

/// <summary>The containers <see cref="ArchiveReader"/> walks.</summary>
public enum ArchiveFormat
{
    /// <summary>A plain tar (ustar, pax, gnu or v7).</summary>
    Tar,

    /// <summary>A tar compressed with gzip (.tar.gz, .tgz).</summary>
    GzipTar,

    /// <summary>A tar compressed with xz (.tar.xz, .txz).</summary>
    XzTar,

    /// <summary>A tar compressed with bzip2 (.tar.bz2, .tbz2).</summary>
    Bzip2Tar,

    /// <summary>A tar compressed with zstd (.tar.zst).</summary>
    ZstdTar,

    /// <summary>A zip (deflate or stored entries, zip64 included).</summary>
    Zip,

    /// <summary>One gzip-compressed file that is not a tar: no entries, only its integrity and its expansion are checked.</summary>
    Gzip,

    /// <summary>One xz-compressed file that is not a tar, checked like <see cref="Gzip"/>.</summary>
    Xz,

    /// <summary>One bzip2-compressed file that is not a tar, checked like <see cref="Gzip"/>.</summary>
    Bzip2,

    /// <summary>One zstd-compressed file that is not a tar, checked like <see cref="Gzip"/>.</summary>
    Zstd,

    /// <summary>
    /// A cpio archive (new ASCII or crc format), as an rpm's payload is: compressed with gzip, xz, bzip2 or zstd, or not
    /// at all, as its first bytes say.
    /// </summary>
    Cpio,
}
