namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Every target of a distribution reached a final state, with the counts per final state. Sent to the distribution
/// saga by whoever recorded the last final target (possibly more than once; the saga completes once).
/// </summary>
public record DistributionTargetsFinished
{
    public required Guid DistributionId { get; init; }
    public required int TargetCount { get; init; }
    public required int ActiveCount { get; init; }
    public required int FailedCount { get; init; }
    public required int SkippedCount { get; init; }
    public required int CancelledCount { get; init; }
    public int RemovedCount { get; init; }

    /// <summary>Removal targets whose copy was let go of but left on the VIM (not Image Manager's, or still relied on).</summary>
    public int ReleasedCount { get; init; }

    /// <summary>Deactivation targets whose copies the VIM deactivated.</summary>
    public int DeactivatedCount { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
}
