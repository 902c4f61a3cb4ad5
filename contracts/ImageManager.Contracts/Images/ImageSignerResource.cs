namespace ImageManager.Contracts.Images;

/// <summary>The certificate an image's signature was verified with, as the API shows it (the PEM is kept, not shown).</summary>
public sealed record ImageSignerResource
{
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public required string SerialNumber { get; init; }
    public required string Sha256Fingerprint { get; init; }
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The trust store's certificate authority the chain ended at when the image was validated.</summary>
    public required string AuthoritySha256Fingerprint { get; init; }
}
