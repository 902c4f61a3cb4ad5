namespace ImageManager.Catalog.Images;

/// <summary>Image status: <c>queued → validating → active | rejected</c>, later <c>deactivated</c>, <c>deleted</c>.</summary>
public static class ImageStatuses
{
    public const string Queued = "queued";
    public const string Validating = "validating";
    public const string Active = "active";
    public const string Rejected = "rejected";
    public const string Deactivated = "deactivated";

    /// <summary>Waiting for its removal from every VIM before it leaves the catalogue (<c>DELETE ?purge=true</c>).</summary>
    public const string Deleting = "deleting";

    public static readonly string[] All = [Queued, Validating, Active, Rejected, Deactivated, Deleting];
}
