namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Published exactly once per distribution, when every target has reached a final state.
/// <see cref="Outcome"/> is <c>succeeded</c>, <c>partially-failed</c>, <c>failed</c> or <c>cancelled</c>.
/// </summary>
public record DistributionCompleted
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required string Outcome { get; init; }
    public required int TargetCount { get; init; }
    public required int ActiveCount { get; init; }
    public required int FailedCount { get; init; }
    public required int SkippedCount { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
