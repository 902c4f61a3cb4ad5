namespace ImageManager.Contracts.Recalls;

/// <summary>
/// Published once per recall, when every target is final (after the recall's <c>DistributionCompleted</c> of kind
/// <c>recall</c>, with the same counts). <see cref="Outcome"/> as a distribution's; <see cref="RemovedCount"/> VIMs had the
/// recalled copy deleted, <see cref="ReleasedCount"/> let go of it without deleting (not Image Manager's, or relied on),
/// <see cref="DeactivatedCount"/> had it deactivated (action <c>deactivate</c>; its VIMs left alone count as skipped),
/// <see cref="FailedCount"/> still hold it (for <c>replace</c>: the successor could not be put there, or the recalled copy
/// could not be deleted).
/// </summary>
public sealed record RecallCompleted
{
    public required Guid RecallId { get; init; }
    public required Guid ImageId { get; init; }
    public required string Action { get; init; }
    public required string ReasonKind { get; init; }
    public string? CveId { get; init; }
    public Guid? SuccessorImageId { get; init; }
    public required string Outcome { get; init; }
    public required int TargetCount { get; init; }
    public required int RemovedCount { get; init; }
    public required int ReleasedCount { get; init; }
    public required int FailedCount { get; init; }
    public int DeactivatedCount { get; init; }
    public Guid? RetryOf { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
