namespace ImageManager.Contracts.Locations;

/// <summary>Answer of <c>GET /api/v1/vims/{id}/images</c>: a page of the images on the VIM, and the marker of the next (null on the last).</summary>
public sealed record VimImagesResource(string VimId, IReadOnlyList<ImageOnVim> Images, Guid? Next);
