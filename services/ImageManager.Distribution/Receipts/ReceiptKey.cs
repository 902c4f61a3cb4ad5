namespace ImageManager.Distribution.Receipts;

/// <summary>
/// A key that signs receipts (EC P-256). Its private half is kept encrypted by the Data Protection key ring; its public
/// half is published for as long as the key is not revoked, so receipts it signed stay verifiable after it retires.
/// </summary>
public sealed class ReceiptKey
{
    /// <summary>The RFC 7638 thumbprint of the public key (base64url), the <c>kid</c> of the receipts it signs.</summary>
    public required string KeyId { get; set; }

    /// <summary>The public key as a JWK (JSON).</summary>
    public required string PublicJwk { get; set; }

    /// <summary>The PKCS#8 private key, protected by Data Protection.</summary>
    public required string ProtectedPrivateKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a newer key took over signing; null while it signs.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>When it was revoked (left out of the published keys: receipts it signed no longer verify); null unless so.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
