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

    /// <summary>A removal's target while the VIM is asked to delete the image (see <see cref="RemoveImageFromVims"/>).</summary>
    public const string Removing = "removing";

    /// <summary>Deleted from the VIM (see <see cref="RemoveImageFromVims"/>).</summary>
    public const string Removed = "removed";

    /// <summary>The states a target of a distribution can be in, in the order they are shown.</summary>
    public static readonly string[] All = [Pending, Uploading, Verifying, Active, Failed, Skipped, Cancelled, Removing, Removed];

    /// <summary>The states a target does not leave.</summary>
    public static readonly string[] Final = [Active, Failed, Skipped, Cancelled, Removed];

    public static bool IsFinal(string state) => Final.Contains(state);
}
