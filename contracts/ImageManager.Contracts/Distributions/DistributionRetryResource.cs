namespace ImageManager.Contracts.Distributions;

/// <summary>Answer of <c>POST /api/v1/distributions/{id}/retry</c> (202): the new distribution that re-runs the failed targets.</summary>
public sealed record DistributionRetryResource(Guid DistributionId, Guid RetryOf, int TargetCount);
