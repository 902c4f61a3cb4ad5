namespace ImageManager.Catalog.Images;

/// <summary>A tenant a <c>shared</c> image is shared with; a row each, so that "what may tenant T see" is an index lookup.</summary>
public sealed class ImageShare
{
    public Guid ImageId { get; set; }
    public required string Tenant { get; set; }
}
