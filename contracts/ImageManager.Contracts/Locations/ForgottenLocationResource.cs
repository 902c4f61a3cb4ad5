namespace ImageManager.Contracts.Locations;

/// <summary>Answer of <c>DELETE /api/v1/images/{id}/locations/{vimId}</c>: the VIM's image ids of the copies no longer tracked.</summary>
public sealed record ForgottenLocationResource(Guid ImageId, string VimId, IReadOnlyList<string> ForgottenCopies);
