using System.Security.Cryptography.X509Certificates;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// What the trust store folder held when it was last read: the certificate authorities, the revocation lists whose
/// signature an authority of the store vouches for, and what could not be used (a file that does not parse, a list no
/// authority of the store signed), which is logged and otherwise ignored.
/// </summary>
public sealed record TrustStoreContent(
    X509Certificate2Collection Authorities,
    IReadOnlyList<TrustedRevocationList> RevocationLists,
    IReadOnlyList<string> Problems,
    DateTimeOffset ReadAt)
{
    /// <summary>SHA-256 fingerprints (lower-case hex) of the authorities, sorted.</summary>
    public IReadOnlyList<string> AuthorityFingerprints { get; } =
        [.. Authorities.Select(CertificateIdentifiers.Sha256Fingerprint).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
