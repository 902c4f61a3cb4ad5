namespace ImageManager.Distribution.Images;

/// <summary>
/// What distribution knows of a validated image, kept from <c>ImageValidated</c> events so that an upload
/// never has to ask the catalogue.
/// </summary>
public sealed class DistributableImage
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Version { get; set; }
    public required string Kind { get; set; }

    /// <summary>What Validation found the bytes to be (<c>ImageValidated.DetectedType</c>): a package's type decides which VIM types take it.</summary>
    public string? DetectedType { get; set; }
    public string? DiskFormat { get; set; }
    public string? ContainerFormat { get; set; }
    public long SizeBytes { get; set; }
    public required string Sha256 { get; set; }
    public required string Sha512 { get; set; }
    public DateTimeOffset ValidatedAt { get; set; }

    /// <summary>Set while the catalogue has the image deactivated: no new uploads of it.</summary>
    public bool Deactivated { get; set; }

    /// <summary>The owning tenant (null: an operator's): Image Manager's copies are shared only between images of one owner.</summary>
    public string? Owner { get; set; }

    /// <summary>
    /// Set when the image started leaving the catalogue (purge, or delete): from then on no copy of it is created or
    /// adopted on any VIM. Kept, not deleted, so that a late upload still finds out.
    /// </summary>
    public DateTimeOffset? WithdrawnAt { get; set; }
}
