namespace ImageManager.Api.Downstream;

/// <summary>A distribution of an image with targets not final yet, as the Distribution service reports it.</summary>
public sealed record OpenDistribution(Guid Id, int OpenTargets);
