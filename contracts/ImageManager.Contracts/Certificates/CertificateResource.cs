namespace ImageManager.Contracts.Certificates;

/// <summary>A registered signing certificate as the API shows it (certificates are public; no key is ever stored).</summary>
public sealed record CertificateResource(Guid Id, string? Name, string Subject, string Sha256Fingerprint, DateTimeOffset NotAfter, string Pem, DateTimeOffset CreatedAt);
