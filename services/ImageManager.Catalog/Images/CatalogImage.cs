
namespace ImageManager.Catalog.Images;

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

    /// <summary><c>private</c> (the owner's), <c>shared</c> (with named tenants) or <c>public</c>.</summary>
    public string Visibility { get; set; } = ImageVisibilities.Private;
    public string? Owner { get; set; }

    /// <summary>Who brought the bytes (the caller of the upload, import or onboarding).</summary>
    public string? UploadedBy { get; set; }
    public string? OsDistro { get; set; }
    public string? OsVersion { get; set; }
    public string? Architecture { get; set; }
    public int? MinRamMb { get; set; }
    public int? MinDiskGb { get; set; }

    /// <summary>A protected image cannot be deleted until the flag is cleared.</summary>
    public bool Protected { get; set; }
    public DateOnly? EndOfLife { get; set; }

    /// <summary>Left out when <c>version=latest</c> is resolved (a broken release, say), without deactivating it.</summary>
    public bool ExcludeFromLatest { get; set; }

    /// <summary>What Validation found the bytes to be, and a VM image's virtual size.</summary>
    public string? DetectedType { get; set; }
    public long? VirtualSizeBytes { get; set; }
    public DateTimeOffset? ValidatedAt { get; set; }

    /// <summary>Bumped by every change; the ETag, and the guard of concurrent edits.</summary>
    public int Revision { get; set; }
    public List<ImageTag> Tags { get; set; } = [];

    /// <summary>The tenants a <c>shared</c> image is shared with (kept whatever the visibility, so that sharing again restores them).</summary>
    public List<ImageShare> Shares { get; set; } = [];
    public List<ImageProperty> Properties { get; set; } = [];
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

    /// <summary>ClamAV's verdict as Validation reported it (<c>clean</c>, <c>not-scanned</c>); null before scanning existed.</summary>
    public string? MalwareScan { get; set; }

    /// <summary>The certificate the signature was verified with (<c>ImageValidated.SignedBy</c>); all null when unsigned.</summary>
    public string? SignerSubject { get; set; }
    public string? SignerIssuer { get; set; }
    public string? SignerSerialNumber { get; set; }
    public string? SignerSha256Fingerprint { get; set; }
    public DateTimeOffset? SignerNotAfter { get; set; }
    public string? SignerAuthoritySha256Fingerprint { get; set; }
    public string? SignerCertificatePem { get; set; }

    /// <summary>Set once when the signer stopped vouching for the image (revoked, or its authority left the trust store); never cleared.</summary>
    public DateTimeOffset? TrustWithdrawnAt { get; set; }
    public string? TrustWithdrawnReason { get; set; }

    /// <summary>When <c>ImageReachedEndOfLife</c> was queued for the current <see cref="EndOfLife"/>; cleared when the date changes.</summary>
    public DateTimeOffset? EndOfLifeAnnouncedAt { get; set; }

    /// <summary>Why the last import did not bring the bytes; cleared when the bytes arrive.</summary>
    public string? ImportError { get; set; }

    /// <summary>The package (a CSAR) this image was taken from, and where it sits in it; null for an image brought on its own.</summary>
    public Guid? PackageId { get; set; }
    public string? PathInPackage { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
