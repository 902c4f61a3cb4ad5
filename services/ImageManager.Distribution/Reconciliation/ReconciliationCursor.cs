namespace ImageManager.Distribution.Reconciliation;

/// <summary>
/// Where the last reconciliation pass stopped, in the order pairs are checked (image id, then VIM id): the next pass
/// goes on from there, so ten thousand pairs are checked a batch at a time across passes, never in one huge run.
/// </summary>
public sealed class ReconciliationCursor
{
    public const string Default = "default";

    public required string Name { get; set; }
    public Guid ImageId { get; set; }
    public required string VimId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
