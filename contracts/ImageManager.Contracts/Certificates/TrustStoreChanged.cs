namespace ImageManager.Contracts.Certificates;

/// <summary>
/// Validation read its trust store (at start, and whenever the folder or a revocation list changes) and found it
/// different from what it read before: the authorities it now trusts and every certificate its revocation lists revoke.
/// The Catalog withdraws the trust of images whose signer is revoked or no longer chains to a trusted authority.
/// Validation owns the cryptography; this event carries identifiers only, so matching needs none.
/// </summary>
public record TrustStoreChanged
{
    /// <summary>SHA-256 (lower-case hex) of every certificate authority in the trust store.</summary>
    public required IReadOnlyList<string> TrustedAuthorities { get; init; }

    public required IReadOnlyList<RevokedCertificate> Revoked { get; init; }

    public required DateTimeOffset ReadAt { get; init; }
}
