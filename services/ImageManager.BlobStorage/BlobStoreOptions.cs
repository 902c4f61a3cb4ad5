using System.ComponentModel.DataAnnotations;

namespace ImageManager.BlobStorage;

/// <summary>Bound from the <c>BlobStore</c> section.</summary>
public sealed class BlobStoreOptions
{
    public const string Section = "BlobStore";

    /// <summary>Root folder of the store; one shared volume when several nodes run.</summary>
    [Required]
    public string Root { get; set; } = "";

    /// <summary>Size of the copy buffer. Memory per upload stays at about this, whatever the file size.</summary>
    [Range(4096, 16 * 1024 * 1024)]
    public int BufferSize { get; set; } = 1024 * 1024;
}
