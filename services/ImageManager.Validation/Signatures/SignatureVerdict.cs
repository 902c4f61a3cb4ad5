using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Signatures;

/// <summary>A verified signature's signer, or why the signature does not hold (<see cref="Failure"/>).</summary>
public sealed record SignatureVerdict(string? Failure, ImageSigner? Signer)
{
    public static SignatureVerdict Fail(string failure) => new(failure, null);

    public static SignatureVerdict Verified(ImageSigner signer) => new(null, signer);
}
