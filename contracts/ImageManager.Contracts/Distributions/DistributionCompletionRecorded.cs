namespace ImageManager.Contracts.Distributions;

/// <summary>
/// The distribution saga saved its outcome; Distribution itself now publishes <see cref="DistributionCompleted"/> from
/// that row (and answers the requester), and marks the row so it is published once. Internal to Distribution; may
/// come more than once.
/// </summary>
public record DistributionCompletionRecorded
{
    public required Guid DistributionId { get; init; }
}
