namespace ImageManager.Contracts.Distributions;

/// <summary>A distribution in the list of recent ones, with its image's name and version (null for an image this service never validated).</summary>
public sealed record DistributionSummary(
    Guid Id, Guid ImageId, string State, string? Outcome, int TargetCount, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string Kind,
    string? ImageName = null, string? ImageVersion = null);
