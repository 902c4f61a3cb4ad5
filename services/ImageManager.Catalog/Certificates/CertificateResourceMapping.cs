using ImageManager.Contracts.Certificates;

namespace ImageManager.Catalog.Certificates;

/// <summary>How <see cref="CertificateResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class CertificateResourceMapping
{
    extension(CertificateResource)
    {
        public static CertificateResource From(SigningCertificate certificate) => new(
            certificate.Id, certificate.Name, certificate.Subject, certificate.Sha256Fingerprint, certificate.NotAfter, certificate.Pem, certificate.CreatedAt);
    }
}
