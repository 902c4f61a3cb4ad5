using ImageManager.Contracts.Images;
using ImageManager.Validation.Packages;

namespace ImageManager.Validation.Checks;

/// <summary>
/// The result of the package check: passed or not, why not, what the bytes were found to be, the disk images taken out
/// of a CSAR, and who signed the package (null: unsigned, and the policy let it pass).
/// </summary>
public sealed record PackageVerdict(bool Passed, string? Reason, string? DetectedType, IReadOnlyList<ExtractedImage> ExtractedImages, ImageSigner? Signer = null)
{
    public static PackageVerdict Pass(string detectedType, IReadOnlyList<ExtractedImage> extractedImages, ImageSigner? signer) =>
        new(true, null, detectedType, extractedImages, signer);

    public static PackageVerdict Fail(string reason, string? detectedType = null) => new(false, reason, detectedType, []);
}
