namespace ImageManager.Contracts.Fleet;

/// <summary>
/// How many VIMs match a search (id prefix, region, tag, health) and how they split by health and region: counted on
/// the server in one grouped query, so a page never needs the VIMs themselves to show the fleet.
/// </summary>
public sealed record FleetVimsResource(int Count, IReadOnlyDictionary<string, int> ByHealth, IReadOnlyList<FleetRegionVims> Regions);
