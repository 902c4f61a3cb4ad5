namespace ImageManager.Validation.Archives;

/// <summary>The containers <see cref="ArchiveReader"/> walks.</summary>
public enum ArchiveFormat
{
    /// <summary>A plain tar (ustar, pax, gnu or v7).</summary>
    Tar,

    /// <summary>A tar compressed with gzip (.tar.gz, .tgz).</summary>
    GzipTar,

    /// <summary>A zip (deflate or stored entries, zip64 included).</summary>
    Zip,

    /// <summary>One gzip-compressed file that is not a tar: no entries, only its integrity and its expansion are checked.</summary>
    Gzip,
}
