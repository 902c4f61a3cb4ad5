namespace ImageManager.Contracts.Fleet;

/// <summary>A page of the VIMs of a region with the image's presence on each, in VIM id order; <see cref="Next"/> is the next page's marker.</summary>
public sealed record ImageSiteListResource(Guid ImageId, string Region, IReadOnlyList<ImageSite> Sites, string? Next);
