namespace ImageManager.Contracts.Distributions;

/// <summary>The per-target states of a distribution, as they appear in events and in the status API.</summary>
public static class TargetStates
{
    public const string Pending = "pending";
    public const string Uploading = "uploading";
    public const string Verifying = "verifying";
    public const string Active = "active";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";

    /// <summary>Deleted from the VIM (see <see cref="RemoveImageFromVims"/>).</summary>
    public const string Removed = "removed";

    public static bool IsFinal(string state) => state is Active or Failed or Skipped or Cancelled;
}
