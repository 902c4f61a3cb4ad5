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

    /// <summary>
    /// A removal's target that let go of the image's copy without deleting it: Image Manager did not create that copy, or
    /// another catalogue image still relies on it (see <see cref="VimCopyOrigins"/>). The target's last error says which.
    /// </summary>
    public const string Released = "released";

    /// <summary>
    /// Was <c>active</c> or <c>skipped</c>, and reconciliation found the image no longer on the VIM as it should be
    /// (gone, other bytes, not active); the target's last error says what was found. Repair is a new distribution.
    /// </summary>
    public const string Drifted = "drifted";

    /// <summary>A recall's target (replace) while the successor is being put on the VIM; the recalled copy stays.</summary>
    public const string SuccessorPending = "successor-pending";

    /// <summary>A recall's target (replace) whose VIM holds the successor; the recalled copy is removed next.</summary>
    public const string SuccessorPresent = "successor-present";

    /// <summary>A deactivation's target (recall action <c>deactivate</c>) while the VIM is asked to deactivate the image.</summary>
    public const string Deactivating = "deactivating";

    /// <summary>
    /// The VIM deactivated Image Manager's copy: it stays on the VIM, but the VIM serves it to nobody (Glance: status
    /// <c>deactivated</c>, its data not downloadable, no new server boots from it) until reactivated there.
    /// </summary>
    public const string Deactivated = "deactivated";

    /// <summary>The states a target of a distribution can be in, in the order they are shown.</summary>
    public static readonly string[] All = [Pending, Uploading, Verifying, Active, Failed, Skipped, Cancelled, Removing, Removed, Released, Drifted, SuccessorPending, SuccessorPresent, Deactivating, Deactivated];

    /// <summary>
    /// The states a target does not leave. <see cref="Drifted"/> is one: it is reached only from a final state, after the
    /// upload's work was done, so it neither keeps a distribution open nor reopens a completed one.
    /// </summary>
    public static readonly string[] Final = [Active, Failed, Skipped, Cancelled, Removed, Released, Drifted, Deactivated];

    /// <summary>
    /// The states a target is still in progress in: every state not <see cref="Final"/>. Asking for these ("is any target
    /// still open?") finds the answer in a few index lookups; asking for "not final" walks every finished target.
    /// </summary>
    public static readonly string[] Open = [.. All.Except(Final)];

    public static bool IsFinal(string state) => Final.Contains(state);
}
