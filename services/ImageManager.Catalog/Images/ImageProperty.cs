namespace ImageManager.Catalog.Images;

/// <summary>One free-form key/value property of an image; a row each, so that "images whose K is V" is an index lookup.</summary>
public sealed class ImageProperty
{
    public Guid ImageId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
