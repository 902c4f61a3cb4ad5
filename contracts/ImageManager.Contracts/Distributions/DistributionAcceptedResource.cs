namespace ImageManager.Contracts.Distributions;

/// <summary>Answer of <c>POST /api/v1/distributions</c> (202): the new distribution's id, and the VIMs a selector chose that do not take the image.</summary>
public sealed record DistributionAcceptedResource(Guid DistributionId, LeftOutResource? LeftOut = null);
