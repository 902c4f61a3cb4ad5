namespace ImageManager.Catalog.Images;

/// <summary>The states of an image-VIM pair, as the distribution service reports them.</summary>
public static class LocationStates
{
    public const string Pending = "pending";
    public const string Uploading = "uploading";
    public const string Verifying = "verifying";
    public const string Active = "active";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";

    /// <summary>Gone from the VIM; the row is deleted rather than kept in this state.</summary>
    public const string Removed = "removed";

    /// <summary>States in which the VIM holds, or may already hold, the image's bytes: such an image cannot simply be deleted.</summary>
    public static readonly string[] Present = [Uploading, Verifying, Active, Skipped];
}
