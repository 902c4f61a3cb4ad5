using ImageManager.Validation.Packages;

namespace ImageManager.Validation.Checks;

/// <summary>The result of the package check: passed or not, why not, what the bytes were found to be, and the disk images taken out of a CSAR.</summary>
public sealed record PackageVerdict(bool Passed, string? Reason, string? DetectedType, IReadOnlyList<ExtractedImage> ExtractedImages)
{
    public static PackageVerdict Pass(string detectedType, IReadOnlyList<ExtractedImage> extractedImages) => new(true, null, detectedType, extractedImages);

    public static PackageVerdict Fail(string reason, string? detectedType = null) => new(false, reason, detectedType, []);
}
