namespace ImageManager.Contracts.Distributions;

/// <summary>Scheduled for a distribution's deadline: the targets not started by now are cancelled.</summary>
public record DistributionDeadlinePassed
{
    public required Guid DistributionId { get; init; }
    public required DateTimeOffset Deadline { get; init; }
}
