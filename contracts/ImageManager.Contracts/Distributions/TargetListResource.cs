namespace ImageManager.Contracts.Distributions;

/// <summary>Answer of <c>GET /api/v1/distributions/{id}/targets</c>: a page of targets in VIM id order, and the marker of the next (the last VIM id).</summary>
public sealed record TargetListResource(Guid DistributionId, IReadOnlyList<TargetResource> Targets, string? Next);
