using ImageManager.Contracts.Images;
using ImageManager.Validation.Packages;

namespace ImageManager.Validation.Checks;

/// <summary>
/// What the check for an image's kind found: why the bytes are refused (null when they pass), what they are, a VM
/// image's virtual size, and the disk images a package brought with it.
/// </summary>
public sealed record ContentVerdict(string? Reason, string? DetectedType, long? VirtualSizeBytes, IReadOnlyList<ExtractedImage> ExtractedImages)
{
    /// <summary>Who signed a package (its SOL004 signature, or the declared one), when the check found out.</summary>
    public ImageSigner? Signer { get; init; }

    public ContentVerdict(string? reason, string? detectedType, long? virtualSizeBytes)
        : this(reason, detectedType, virtualSizeBytes, [])
    {
    }
}
