using ImageManager.Contracts.Certificates;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// A revocation list of the trust store whose signature was verified with its issuer's key (a certificate authority of
/// the store): who issued it (<see cref="IssuerName"/> as .NET formats it, <see cref="IssuerDer"/> to match
/// certificates' issuers exactly), when it was issued and when its next issue was due, and what it revokes.
/// </summary>
public sealed record TrustedRevocationList(
    string File,
    string IssuerName,
    byte[] IssuerDer,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate,
    IReadOnlyDictionary<string, RevokedCertificate> RevokedBySerialNumber);
