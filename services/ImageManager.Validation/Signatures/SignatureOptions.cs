namespace ImageManager.Validation.Signatures;

/// <summary>When signatures are required and whom to trust. Bound from the <c>Signatures</c> section.</summary>
public sealed class SignatureOptions
{
    public const string Section = "Signatures";

    /// <summary>Every image must be signed; an unsigned one is rejected.</summary>
    public bool Required { get; set; }

    /// <summary>Images of these vendors (case-insensitive) must be signed, whatever <see cref="Required"/> says.</summary>
    public string[] RequiredForVendors { get; set; } = [];

    /// <summary>
    /// A folder of PEM files holding the certificate authorities that signing certificates must chain to. Empty means
    /// no authority is trusted, so every signature fails: verification fails closed.
    /// </summary>
    public string TrustStore { get; set; } = "";
}
