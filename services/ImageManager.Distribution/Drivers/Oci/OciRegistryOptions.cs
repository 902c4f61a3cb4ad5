using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>Bound from the <c>OciRegistry</c> section: how blobs are uploaded to registries.</summary>
public sealed class OciRegistryOptions
{
    public const string Section = "OciRegistry";

    /// <summary>
    /// Blobs up to this size go in one <c>PUT</c>; larger ones in chunks (<c>PATCH</c> each, then <c>PUT ?digest=</c>),
    /// which registries and proxies that cap request bodies accept.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MonolithicUploadMaxBytes { get; set; } = 64L << 20;

    /// <summary>Bytes per <c>PATCH</c> of a chunked upload; streamed, never held in memory.</summary>
    [Range(1, long.MaxValue)]
    public long ChunkSizeBytes { get; set; } = 32L << 20;
}
