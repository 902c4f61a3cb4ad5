namespace ImageManager.Contracts.Images;

/// <summary>
/// The certificate whose signature Validation verified for an image (its Glance-style signature, or the SOL004
/// signature of the package it came in), kept so that trust can be reviewed later: a certificate revoked or taken out
/// of the trust store withdraws the trust of every image it signed. All of it is public (no key material).
/// </summary>
public record ImageSigner
{
    public required string Subject { get; init; }
    /// <summary>The issuer's distinguished name, as .NET formats it (<c>X500DistinguishedName.Name</c>), as <see cref="Certificates.RevokedCertificate.Issuer"/> is.</summary>
    public required string Issuer { get; init; }

    /// <summary>The certificate's serial number, upper-case hexadecimal without separators, as <see cref="Certificates.RevokedCertificate.SerialNumber"/> is.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>SHA-256 of the certificate's DER bytes, lower-case hexadecimal.</summary>
    public required string Sha256Fingerprint { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>
    /// SHA-256 (lower-case hex) of the trust store's certificate the chain ended at when the signature was verified: taken
    /// out of the trust store, it no longer vouches for the image.
    /// </summary>
    public required string AuthoritySha256Fingerprint { get; init; }

    /// <summary>The certificate itself (PEM), so its chain can be built again against a changed trust store.</summary>
    public required string CertificatePem { get; init; }
}
