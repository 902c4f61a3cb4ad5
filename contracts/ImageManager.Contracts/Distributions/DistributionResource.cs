namespace ImageManager.Contracts.Distributions;

/// <summary>
/// A distribution as the status API shows it: its state, the counts per target state and the bytes sent (summed
/// from the target rows when asked, never kept on the distribution's row), progress and an estimate of the time left,
/// the first page of its targets (the rest through <c>/targets</c>), its kind (distribution or removal), its strategy,
/// why it stopped by itself, if it did, the tenant it belongs to, and the estimate made before it started.
/// </summary>
public sealed record DistributionResource(
    Guid Id,
    Guid ImageId,
    string State,
    string? Outcome,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    int TargetCount,
    IReadOnlyDictionary<string, int> Counts,
    long BytesSent,
    double Progress,
    double? EtaSeconds,
    IReadOnlyList<TargetResource> Targets,
    string? TargetsNext,
    Guid? RetryOf,
    string Kind,
    DistributionStrategy? Strategy,
    string? StopReason,
    string? Tenant,
    DistributionEstimateResource? Estimate = null);
