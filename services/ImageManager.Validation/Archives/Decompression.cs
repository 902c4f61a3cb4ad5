namespace ImageManager.Validation.Archives;

/// <summary>
/// Recognises gzip, xz, bzip2 and zstd by their magic numbers, and decompresses them through a
/// <see cref="DecompressedStream"/>: as the command-line tools do, concatenated streams included, and refusing any other
/// bytes behind the last one.
/// </summary>
public static class Decompression
{
    public static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    public static ReadOnlySpan<byte> XzMagic => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    public static ReadOnlySpan<byte> Bzip2Magic => "BZh"u8;
    public static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary>The compression whose magic number the bytes start with, or <see cref="ArchiveCompression.None"/>.</summary>
    public static ArchiveCompression Detect(ReadOnlySpan<byte> start) =>
        start.StartsWith(GzipMagic) ? ArchiveCompression.Gzip
        : start.StartsWith(XzMagic) ? ArchiveCompression.Xz
        : start.StartsWith(Bzip2Magic) ? ArchiveCompression.Bzip2
        : start.StartsWith(ZstdMagic) ? ArchiveCompression.Zstd
        : ArchiveCompression.None;

    /// <summary>The name a person knows the compression by, as in a reason.</summary>
    public static string NameOf(ArchiveCompression compression) => compression switch
    {
        ArchiveCompression.Gzip => "gzip",
        ArchiveCompression.Xz => "xz",
        ArchiveCompression.Bzip2 => "bzip2",
        ArchiveCompression.Zstd => "zstd",
        _ => "none",
    };

    /// <summary>
    /// The decompressed bytes of <paramref name="compressed"/>, read from its current position; it stays open, and must be
    /// seekable. Broken or truncated data fails a read with <see cref="InvalidDataException"/>.
    /// </summary>
    public static DecompressedStream Open(Stream compressed, ArchiveCompression compression) =>
        compression == ArchiveCompression.None
            ? throw new ArgumentOutOfRangeException(nameof(compression), "Uncompressed bytes need no decompression.")
            : new DecompressedStream(compressed, compression);
}
