namespace ImageManager.Contracts.Distributions;

/// <summary>
/// A distribution (or removal) began: its targets are known and the first uploads are on their way. Published once per
/// distribution, for subscribers; progress follows as <see cref="VimImageStateChanged"/>, the end as
/// <see cref="DistributionCompleted"/>.
/// </summary>
public record DistributionStarted
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required string Kind { get; init; }
    public required int TargetCount { get; init; }

    /// <summary>The tenant the distribution belongs to (null for Image Manager's own): whose subscribers are told.</summary>
    public string? Tenant { get; init; }
    public Guid? RetryOf { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
}
