namespace ImageManager.Catalog.Images;

/// <summary>One tag of an image; a row each, so that "images with tag X" is an index lookup.</summary>
public sealed class ImageTag
{
    public Guid ImageId { get; set; }
    public required string Tag { get; set; }
}
