namespace ImageManager.Catalog.Certificates;

/// <summary>A signing certificate registered in Image Manager, for images to name by id (Glance's <c>img_signature_certificate_uuid</c>).</summary>
public sealed class SigningCertificate
{
    public Guid Id { get; set; }
    public string? Name { get; set; }
    public required string Pem { get; set; }
    public required string Subject { get; set; }
    public required string Sha256Fingerprint { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
