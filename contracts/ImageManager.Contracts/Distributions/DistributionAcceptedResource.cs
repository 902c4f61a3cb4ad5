namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Answer of <c>POST /api/v1/distributions</c> (202): the new distribution's id, the VIMs a selector chose that do not
/// take the image, and the estimate of its duration made before it started.
/// </summary>
public sealed record DistributionAcceptedResource(Guid DistributionId, LeftOutResource? LeftOut = null, DistributionEstimateResource? Estimate = null);
