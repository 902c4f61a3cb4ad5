namespace ImageManager.Contracts.Hubs;

/// <summary>
/// Body of <c>PUT /api/v1/hubs/{id}</c>: the hub's cache as the VIMs of its regions reach it (<see cref="BaseUrl"/>, e.g.
/// <c>http://hub-north.example:8080</c>, in front of the Api's image downloads) and the regions it serves (a VIM's
/// <c>region</c>; a region is served by one hub at most). Members are checked by the endpoint, which names a missing one.
/// </summary>
public sealed record HubRequest
{
    public string? BaseUrl { get; init; }
    public IReadOnlyList<string>? Regions { get; init; }
}
