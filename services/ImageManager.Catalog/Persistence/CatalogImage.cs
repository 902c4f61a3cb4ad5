namespace ImageManager.Catalog.Persistence;

/// <summary>One image as the catalogue keeps it.</summary>
public sealed class CatalogImage
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public required string Version { get; set; }
    public string? Vendor { get; set; }
    public string? Description { get; set; }
    public string? DiskFormat { get; set; }
    public string? ContainerFormat { get; set; }
    public required string Status { get; set; }
    public string? DeclaredSha256 { get; set; }
    public string? DeclaredSha512 { get; set; }
    public string? DeclaredMd5 { get; set; }
    public string? Sha256 { get; set; }
    public string? Sha512 { get; set; }
    public long? SizeBytes { get; set; }
    public string? RejectionReason { get; set; }
    public string? SignatureValue { get; set; }
    public string? SignatureHashMethod { get; set; }
    public string? SignatureKeyType { get; set; }
    public Guid? SignatureCertificateId { get; set; }
    public string? SignatureCertificate { get; set; }

    /// <summary>Why the last import did not bring the bytes; cleared when the bytes arrive.</summary>
    public string? ImportError { get; set; }

    /// <summary>The package (a CSAR) this image was taken from, and where it sits in it; null for an image brought on its own.</summary>
    public Guid? PackageId { get; set; }
    public string? PathInPackage { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
