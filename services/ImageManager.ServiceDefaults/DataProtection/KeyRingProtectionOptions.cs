using System.ComponentModel.DataAnnotations;

namespace ImageManager.ServiceDefaults.DataProtection;

/// <summary>
/// How the Data Protection key ring is encrypted at rest (section <c>DataProtection</c>). The ring lives in the service's
/// database, beside what its keys encrypt: without a certificate kept outside that database, a dump of it is enough to
/// read every secret in it. With one, each new key is stored encrypted to the certificate's RSA key.
/// </summary>
public sealed class KeyRingProtectionOptions : IValidatableObject
{
    public const string Section = "DataProtection";

    /// <summary>
    /// Path of a PKCS#12 (<c>.pfx</c>) file holding a certificate and its RSA private key; every replica of the service
    /// reads the same file. The installation makes one (<c>.local/secrets/data-protection.pfx</c>).
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>The PKCS#12 file's password, when it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Certificates that <see cref="Certificate"/> replaced: keys encrypted to them are still decrypted, no new key is
    /// encrypted to them. Kept as long as such keys are in the ring.
    /// </summary>
    public List<PreviousKeyRingCertificate> PreviousCertificates { get; set; } = [];

    /// <summary>
    /// In Production a service refuses to start without <see cref="Certificate"/>, unless this says, by explicit
    /// choice, that its keys may be stored unencrypted.
    /// </summary>
    public bool AllowUnencryptedKeys { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var index = 0; index < PreviousCertificates.Count; index++)
        {
            if (string.IsNullOrWhiteSpace(PreviousCertificates[index]?.Path))
            {
                yield return new ValidationResult($"DataProtection:PreviousCertificates:{index}:Path names no file.", [nameof(PreviousCertificates)]);
            }
        }
    }
}
