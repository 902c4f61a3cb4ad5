namespace ImageManager.Validation.Archives;

/// <summary>How an archive's bytes are compressed, as <see cref="Decompression"/> recognises and undoes it.</summary>
public enum ArchiveCompression
{
    None,
    Gzip,
    Xz,
    Bzip2,
    Zstd,
}
