namespace ImageManager.Contracts.Locations;

/// <summary>An image on a VIM, as <c>GET /vims/{vimId}/images</c> lists it.</summary>
public sealed record ImageOnVim(
    Guid ImageId, string Kind, string Name, string Version, string ImageStatus, string State, string? VimImageId, string? Error, DateTimeOffset ChangedAt);
