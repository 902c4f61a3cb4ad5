namespace ImageManager.Contracts.Certificates;

/// <summary>Answer of <c>GET /api/v1/certificates</c>: every registered signing certificate.</summary>
public sealed record CertificateListResource(IReadOnlyList<CertificateResource> Certificates);
