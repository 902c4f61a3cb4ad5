namespace ImageManager.Contracts.Distributions;

/// <summary>
/// A distribution and its targets were written; Distribution itself now sends the uploads its strategy starts at once,
/// publishes <see cref="DistributionStarted"/> and schedules the deadline, from that row, and marks the row so that
/// this happens once. Internal to Distribution; may come more than once.
/// </summary>
public record DistributionStartRecorded
{
    public required Guid DistributionId { get; init; }
}
