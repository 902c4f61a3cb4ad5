namespace ImageManager.Contracts.Distributions;

/// <summary>Answer of <c>POST /api/v1/removals</c> (202): the removal's id, followed at <c>/api/v1/distributions/{id}</c>.</summary>
public sealed record RemovalAcceptedResource(Guid RemovalId);
