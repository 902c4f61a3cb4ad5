namespace ImageManager.Contracts.Locations;

/// <summary>Answer of <c>GET /api/v1/images/{id}/locations</c>: the image's state on each VIM, in VIM id order.</summary>
public sealed record ImageLocationsResource(Guid ImageId, IReadOnlyList<LocationResource> Locations);
