namespace ImageManager.Api.Downstream;

/// <summary>An image's declared signature as the catalogue holds it; the certificate is inline or registered by id.</summary>
public sealed record CatalogSignatureView(string Value, string HashMethod, string KeyType, Guid? CertificateId, string? Certificate);
