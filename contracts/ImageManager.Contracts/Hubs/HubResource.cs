namespace ImageManager.Contracts.Hubs;

/// <summary>
/// A regional hub: a cache of the Api's image downloads (nginx, see <c>infra/nginx.sh</c>) that the VIMs of its regions
/// pull from instead of the centre, so that an image crosses the central uplink once per hub.
/// </summary>
public sealed record HubResource
{
    public required string Id { get; init; }
    public required string BaseUrl { get; init; }
    public required IReadOnlyList<string> Regions { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
