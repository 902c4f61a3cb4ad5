namespace ImageManager.Validation.Signatures;

/// <summary>Revocation reason codes (RFC 5280 CRLReason, which OCSP uses too) by their names.</summary>
public static class RevocationReasons
{
    static readonly string[] Names =
    [
        "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded", "cessationOfOperation",
        "certificateHold", "unknown", "removeFromCRL", "privilegeWithdrawn", "aACompromise",
    ];

    public static string Name(int code) => code >= 0 && code < Names.Length ? Names[code] : $"reason {code}";
}
