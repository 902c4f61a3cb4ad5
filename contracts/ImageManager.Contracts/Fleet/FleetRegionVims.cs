namespace ImageManager.Contracts.Fleet;

/// <summary>The VIMs of one region by health; <see cref="Region"/> is empty for VIMs without a region.</summary>
public sealed record FleetRegionVims(string Region, int Vims, int Healthy, int Unhealthy, int Unknown);
