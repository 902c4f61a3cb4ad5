namespace ImageManager.Catalog.Images;

/// <summary>Image status: <c>queued → validating → active | rejected</c>, later <c>deactivated</c>, <c>deleted</c>.</summary>
public static class ImageStatuses
{
    public const string Queued = "queued";
    public const string Validating = "validating";
    public const string Active = "active";
    public const string Rejected = "rejected";
}
