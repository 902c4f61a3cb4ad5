namespace ImageManager.Contracts.Images;

/// <summary>
/// The certificate an image was validated with no longer vouches for it (revoked, or its authority left the trust
/// store): the image is not distributed any more unless an operator forces it. Published once per image.
/// </summary>
public record ImageTrustWithdrawn
{
    public required Guid ImageId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }

    /// <summary>The tenant that owns the image (null for images from before tenants): whose subscribers are told.</summary>
    public string? Owner { get; init; }

    /// <summary>Why, in words: <c>certificate CN=… revoked by CN=… on … (keyCompromise)</c>, or <c>authority … removed from the trust store</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the signer's certificate.</summary>
    public required string SignerSha256Fingerprint { get; init; }

    public required DateTimeOffset WithdrawnAt { get; init; }
}
