namespace ImageManager.Contracts.Images;

/// <summary>A page of images, and the marker of the next page (null on the last).</summary>
public sealed record ImageListResource(IReadOnlyList<ImageResource> Images, string? Next);
