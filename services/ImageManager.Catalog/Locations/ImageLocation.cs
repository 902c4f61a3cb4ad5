namespace ImageManager.Catalog.Locations;

/// <summary>
/// Where an image is: one row per image-VIM pair, the read model kept from the distribution service's
/// <c>VimImageStatesRecorded</c> batches. It answers "which VIMs have image X" and "which images are on VIM Y".
/// </summary>
public sealed class ImageLocation
{
    public Guid ImageId { get; set; }
    public required string VimId { get; set; }
    public required string State { get; set; }
    public string? VimImageId { get; set; }
    public Guid? DistributionId { get; set; }
    public string? Error { get; set; }

    /// <summary>How the copy came to be on the VIM: created by Image Manager for this image, or found there (<see cref="Contracts.Distributions.VimCopyOrigins"/>).</summary>
    public string? Origin { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
