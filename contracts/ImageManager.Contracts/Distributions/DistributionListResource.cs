namespace ImageManager.Contracts.Distributions;

/// <summary>Answer of <c>GET /api/v1/distributions</c>: recent distributions, newest first, and the marker of the next page (null on the last).</summary>
public sealed record DistributionListResource(IReadOnlyList<DistributionSummary> Distributions, Guid? Next);
