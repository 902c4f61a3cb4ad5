namespace ImageManager.Oci;

/// <summary>
/// A regular file of a container image archive: its normalised name, its length, how its bytes are compressed, its bytes
/// when it is a small JSON document (a manifest, a config, an index), and its SHA-256 (hex) when the reader hashed it as
/// it streamed by: Validation does, to verify the archive; Distribution leaves that to the registry.
/// </summary>
public sealed record ContainerArchiveFile(string Name, long Length, ContainerFileCompression Compression, byte[]? Json, string? Sha256 = null)
{
    /// <summary>The first bytes of a file that a reader needs to tell its compression.</summary>
    public const int HeadLength = 4;

    public static ContainerFileCompression CompressionOf(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]) ? ContainerFileCompression.Gzip
        : head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]) ? ContainerFileCompression.Zstandard
        : ContainerFileCompression.None;

    /// <summary>Whether the bytes start as a JSON object or array would (manifests, configs and indexes do); a layer does not.</summary>
    public static bool StartsLikeJson(ReadOnlySpan<byte> head)
    {
        var start = head.TrimStart(" \t\r\n"u8);
        return !start.IsEmpty && start[0] is (byte)'{' or (byte)'[';
    }
}
