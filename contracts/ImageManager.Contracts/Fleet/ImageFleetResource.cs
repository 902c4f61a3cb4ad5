namespace ImageManager.Contracts.Fleet;

/// <summary>Where one image is across the fleet, per region: counts only, computed in one grouped query.</summary>
public sealed record ImageFleetResource(Guid ImageId, string? Name, string? Version, IReadOnlyList<ImageRegionPresence> Regions);
