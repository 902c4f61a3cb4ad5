using ImageManager.Catalog.Locations;
using ImageManager.Contracts.Images;
using ImageManager.Contracts.Locations;

namespace ImageManager.Catalog.Images;

/// <summary>How <see cref="ImageResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class ImageResourceMapping
{
    extension(ImageResource)
    {
        public static ImageResource From(CatalogImage image, IReadOnlyList<ImageLocation>? locations = null) => new()
        {
            Id = image.Id,
            Kind = image.Kind,
            Name = image.Name,
            Version = image.Version,
            Vendor = image.Vendor,
            Description = image.Description,
            DiskFormat = image.DiskFormat,
            ContainerFormat = image.ContainerFormat,
            Status = image.Status,
            Visibility = image.Visibility,
            Owner = image.Owner,
            SharedWith = image.Shares.Select(s => s.Tenant).Order(StringComparer.Ordinal).ToList(),
            UploadedBy = image.UploadedBy,
            Tags = image.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList(),
            Properties = image.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
            OsDistro = image.OsDistro,
            OsVersion = image.OsVersion,
            Architecture = image.Architecture,
            MinRamMb = image.MinRamMb,
            MinDiskGb = image.MinDiskGb,
            Protected = image.Protected,
            EndOfLife = image.EndOfLife,
            ExcludeFromLatest = image.ExcludeFromLatest,
            SizeBytes = image.SizeBytes,
            VirtualSizeBytes = image.VirtualSizeBytes,
            Sha256 = image.Sha256,
            Sha512 = image.Sha512,
            DeclaredSha256 = image.DeclaredSha256,
            DeclaredSha512 = image.DeclaredSha512,
            DeclaredMd5 = image.DeclaredMd5,
            DetectedType = image.DetectedType,
            ValidatedAt = image.ValidatedAt,
            RejectionReason = image.RejectionReason,
            ImportError = image.ImportError,
            Signature = image.SignatureValue is null ? null : new ImageSignature
            {
                Value = image.SignatureValue,
                HashMethod = image.SignatureHashMethod,
                KeyType = image.SignatureKeyType,
                CertificateId = image.SignatureCertificateId,
                Certificate = image.SignatureCertificate,
            },
            MalwareScan = image.MalwareScan,
            SignedBy = image.SignerSha256Fingerprint is null ? null : new ImageSignerResource
            {
                Subject = image.SignerSubject ?? "",
                Issuer = image.SignerIssuer ?? "",
                SerialNumber = image.SignerSerialNumber ?? "",
                Sha256Fingerprint = image.SignerSha256Fingerprint,
                NotAfter = image.SignerNotAfter ?? default,
                AuthoritySha256Fingerprint = image.SignerAuthoritySha256Fingerprint ?? "",
            },
            Trust = image.TrustWithdrawnAt is not null ? ImageTrust.Withdrawn : image.SignerSha256Fingerprint is null ? null : ImageTrust.Trusted,
            TrustWithdrawnReason = image.TrustWithdrawnReason,
            TrustWithdrawnAt = image.TrustWithdrawnAt,
            PackageId = image.PackageId,
            PathInPackage = image.PathInPackage,
            Locations = locations?.Select(LocationResource.From).ToList(),
            CreatedAt = image.CreatedAt,
            UpdatedAt = image.UpdatedAt,
        };
    }
}
