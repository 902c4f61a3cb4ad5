namespace ImageManager.Contracts.Fleet;

/// <summary>One VIM of a region with the image's presence there (<see cref="ImagePresence"/>), its last target state and error.</summary>
public sealed record ImageSite(string VimId, string Region, string Health, string Presence, string? TargetState, string? Error, DateTimeOffset? ChangedAt);
