namespace ImageManager.Contracts.Certificates;

/// <summary>Body of <c>POST /api/v1/certificates</c>: a PEM certificate and an optional name.</summary>
public sealed record RegisterCertificateRequest(string? Pem, string? Name);
