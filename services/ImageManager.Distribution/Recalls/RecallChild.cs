namespace ImageManager.Distribution.Recalls;

/// <summary>
/// A removal or a distribution of the successor that a recall started: its targets' changes move the recall's targets on
/// (<see cref="RecallProgress"/>). <see cref="Role"/> is <see cref="RemovalRole"/> or <see cref="SuccessorRole"/>.
/// </summary>
public sealed class RecallChild
{
    public const string RemovalRole = "removal";
    public const string SuccessorRole = "successor";

    public Guid ChildId { get; set; }
    public Guid RecallId { get; set; }
    public required string Role { get; set; }
}
