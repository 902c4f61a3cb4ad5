namespace ImageManager.Validation.Packages;

/// <summary>The disk images taken out of a CSAR, or why one of them refuses the whole package.</summary>
public sealed record CsarExtraction(IReadOnlyList<ExtractedImage> Images, string? Problem);
