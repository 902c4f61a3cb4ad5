namespace ImageManager.Distribution.Recalls;

/// <summary>
/// A removal, a deactivation or a distribution of the successor that a recall started: its targets' changes move the
/// recall's targets on (<see cref="RecallProgress"/>). <see cref="Role"/> is <see cref="RemovalRole"/>,
/// <see cref="DeactivationRole"/> or <see cref="SuccessorRole"/>; a recall has one removal or one deactivation, its work.
/// </summary>
public sealed class RecallChild
{
    public const string RemovalRole = "removal";
    public const string SuccessorRole = "successor";
    public const string DeactivationRole = "deactivation";

    /// <summary>Whether this child is the recall's work on every VIM (its removal or its deactivation), not the successor's distribution.</summary>
    public bool IsWork => Role is RemovalRole or DeactivationRole;

    public Guid ChildId { get; set; }
    public Guid RecallId { get; set; }
    public required string Role { get; set; }
}
