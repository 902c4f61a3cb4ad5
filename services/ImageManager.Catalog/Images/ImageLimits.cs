namespace ImageManager.Catalog.Images;

/// <summary>Column lengths that requests are checked against, so that a too-long value is a 400 naming it, not a database error.</summary>
public static class ImageLimits
{
    public const int TagLength = 64;
    public const int MaxTags = 64;
    public const int PropertyKeyLength = 128;
    public const int PropertyValueLength = 255;
    public const int MaxProperties = 128;
    public const int VimIdLength = 128;
}
