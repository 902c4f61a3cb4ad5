namespace ImageManager.Contracts.Hubs;

/// <summary>Answer of <c>GET /api/v1/hubs</c>: every hub, in id order (there are tens, not thousands).</summary>
public sealed record HubListResource
{
    public required IReadOnlyList<HubResource> Hubs { get; init; }
}
