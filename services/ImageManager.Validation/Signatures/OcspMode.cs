namespace ImageManager.Validation.Signatures;

/// <summary>Whether signing certificates are checked with their issuer's OCSP responder, besides the trust store's revocation lists.</summary>
public enum OcspMode
{
    /// <summary>No responder is asked; only the trust store's revocation lists count.</summary>
    Off,

    /// <summary>The responder is asked; when it cannot answer (down, unknown certificate, an answer that does not verify), the lists decide.</summary>
    IfAvailable,

    /// <summary>The responder must say "good": without a verified answer the certificate is not trusted (fail closed).</summary>
    Required,
}
