namespace ImageManager.Contracts.Locations;

/// <summary>One image-VIM pair as the API shows it.</summary>
public sealed record LocationResource(Guid ImageId, string VimId, string State, string? VimImageId, string? Origin, Guid? DistributionId, string? Error, DateTimeOffset ChangedAt);
