namespace ImageManager.Contracts.Distributions;

/// <summary>A distribution in the list of recent ones.</summary>
public sealed record DistributionSummary(Guid Id, Guid ImageId, string State, string? Outcome, int TargetCount, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string Kind);
