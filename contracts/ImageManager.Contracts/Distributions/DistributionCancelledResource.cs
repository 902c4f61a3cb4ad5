namespace ImageManager.Contracts.Distributions;

/// <summary>Answer of <c>POST /api/v1/distributions/{id}/cancel</c> (202): how many targets were cancelled.</summary>
public sealed record DistributionCancelledResource(Guid DistributionId, int CancelledTargets);
