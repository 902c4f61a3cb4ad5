using ImageManager.Contracts.Locations;

namespace ImageManager.Catalog.Locations;

/// <summary>How <see cref="LocationResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class LocationResourceMapping
{
    extension(LocationResource)
    {
        public static LocationResource From(ImageLocation location) => new(
            location.ImageId, location.VimId, location.State, location.VimImageId, location.Origin, location.DistributionId, location.Error, location.ChangedAt);
    }
}
