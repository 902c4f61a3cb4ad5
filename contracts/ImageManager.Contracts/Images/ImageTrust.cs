namespace ImageManager.Contracts.Images;

/// <summary>
/// Whether the signature a signed image was validated with still vouches for it (<c>ImageResource.Trust</c>): <c>trusted</c>
/// until its certificate is revoked or its authority leaves the trust store, then <c>withdrawn</c> for good. Unsigned
/// images have no trust state.
/// </summary>
public static class ImageTrust
{
    public const string Trusted = "trusted";
    public const string Withdrawn = "withdrawn";
}
