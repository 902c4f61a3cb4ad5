
namespace ImageManager.Catalog.Locations;

/// <summary>One image-VIM pair as the API shows it.</summary>
public sealed record LocationResource(Guid ImageId, string VimId, string State, string? VimImageId, string? Origin, Guid? DistributionId, string? Error, DateTimeOffset ChangedAt)
{
    public static LocationResource From(ImageLocation location) => new(
        location.ImageId, location.VimId, location.State, location.VimImageId, location.Origin, location.DistributionId, location.Error, location.ChangedAt);
}
