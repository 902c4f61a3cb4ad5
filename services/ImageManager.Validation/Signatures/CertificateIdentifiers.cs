using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// How a certificate is named in events and reasons, the same way whichever library read it: serial numbers in
/// upper-case hexadecimal without separators or leading zeros (so a revocation list's entry and a signer's certificate
/// compare as strings), fingerprints as lower-case SHA-256, distinguished names as .NET formats them.
/// </summary>
public static class CertificateIdentifiers
{
    const int MaxNameLength = 300;

    public static string SerialNumber(X509Certificate2 certificate) => SerialNumber(certificate.SerialNumber);

    /// <summary>Normalises a hexadecimal serial number (BouncyCastle writes it lower-case and without leading zeros, .NET with them).</summary>
    public static string SerialNumber(string hex)
    {
        var trimmed = hex.TrimStart('0').ToUpperInvariant();
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    public static string Sha256Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>A distinguished name from outside (a certificate's), safe to put in a reason or a log: no control characters, bounded length.</summary>
    public static string Name(X500DistinguishedName name)
    {
        var text = name.Name;
        var safe = string.Create(Math.Min(text.Length, MaxNameLength), text, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
        return text.Length > MaxNameLength ? safe + "…" : safe;
    }

    /// <summary>The record of a verified signer, with the trust-store certificate its chain ended at.</summary>
    public static ImageSigner Signer(X509Certificate2 certificate, string authoritySha256Fingerprint) => new()
    {
        Subject = Name(certificate.SubjectName),
        Issuer = Name(certificate.IssuerName),
        SerialNumber = SerialNumber(certificate),
        Sha256Fingerprint = Sha256Fingerprint(certificate),
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
        AuthoritySha256Fingerprint = authoritySha256Fingerprint,
        CertificatePem = certificate.ExportCertificatePem(),
    };
}
