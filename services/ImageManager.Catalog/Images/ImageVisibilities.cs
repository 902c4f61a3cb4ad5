namespace ImageManager.Catalog.Images;

/// <summary>Who may see an image: its owner only, named tenants too, or everyone.</summary>
public static class ImageVisibilities
{
    public const string Private = "private";
    public const string Shared = "shared";
    public const string Public = "public";

    public static readonly string[] All = [Private, Shared, Public];
}
