using System.ComponentModel.DataAnnotations;

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
    /// A folder holding the certificate authorities that signing certificates must chain to (<c>*.pem</c>, <c>*.crt</c>)
    /// and their revocation lists (<c>*.crl</c>, PEM or DER). Empty means no authority is trusted, so every signature
    /// fails: verification fails closed.
    /// </summary>
    public string TrustStore { get; set; } = "";

    /// <summary>How often the trust store folder is looked at for a change to publish (<c>TrustStoreChanged</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TrustStoreReviewInterval { get; set; } = TimeSpan.FromMinutes(1);
}
