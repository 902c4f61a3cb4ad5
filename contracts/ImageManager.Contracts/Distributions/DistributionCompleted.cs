namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Published exactly once per distribution, when every target has reached a final state (and sent as the response
/// when the distribution was requested with request/response). <see cref="Outcome"/> is <c>succeeded</c>,
/// <c>partially-failed</c>, <c>failed</c> or <c>cancelled</c>; <see cref="Kind"/> is <c>distribution</c> or
/// <c>removal</c>; <see cref="StopReason"/> says why targets were cancelled without being asked to (failure threshold,
/// deadline), if they were.
/// </summary>
public record DistributionCompleted
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public string Kind { get; init; } = DistributionKinds.Distribution;
    public required string Outcome { get; init; }
    public required int TargetCount { get; init; }
    public required int ActiveCount { get; init; }
    public required int FailedCount { get; init; }
    public required int SkippedCount { get; init; }
    public int CancelledCount { get; init; }
    public int RemovedCount { get; init; }

    /// <summary>Removal targets whose copy was let go of but left on the VIM (not Image Manager's, or still relied on).</summary>
    public int ReleasedCount { get; init; }
    public string? StopReason { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>The tenant the distribution belongs to (null for Image Manager's own): whose subscribers are told.</summary>
    public string? Tenant { get; init; }
}
