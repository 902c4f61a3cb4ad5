using ImageManager.Validation.Packages;

namespace ImageManager.Validation.Checks;

/// <summary>
/// What the check for an image's kind found: why the bytes are refused (null when they pass), what they are, a VM
/// image's virtual size, and the disk images a package brought with it.
/// </summary>
public sealed record ContentVerdict(string? Reason, string? DetectedType, long? VirtualSizeBytes, IReadOnlyList<ExtractedImage> ExtractedImages)
{
    public ContentVerdict(string? reason, string? detectedType, long? virtualSizeBytes)
        : this(reason, detectedType, virtualSizeBytes, [])
    {
    }
}
