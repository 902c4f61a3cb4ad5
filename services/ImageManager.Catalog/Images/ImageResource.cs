using ImageManager.Catalog.Persistence;

namespace ImageManager.Catalog.Images;

/// <summary>An image as the API shows it.</summary>
public sealed record ImageResource(
    Guid Id,
    string Kind,
    string Name,
    string Version,
    string? Vendor,
    string? Description,
    string? DiskFormat,
    string? ContainerFormat,
    string Status,
    long? SizeBytes,
    string? Sha256,
    string? Sha512,
    string? DeclaredSha256,
    string? DeclaredSha512,
    string? DeclaredMd5,
    string? RejectionReason,
    string? ImportError,
    ImageSignature? Signature,
    Guid? PackageId,
    string? PathInPackage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ImageResource From(CatalogImage image) => new(
        image.Id, image.Kind, image.Name, image.Version, image.Vendor, image.Description, image.DiskFormat,
        image.ContainerFormat, image.Status, image.SizeBytes, image.Sha256, image.Sha512, image.DeclaredSha256,
        image.DeclaredSha512, image.DeclaredMd5, image.RejectionReason, image.ImportError,
        image.SignatureValue is null ? null : new ImageSignature
        {
            Value = image.SignatureValue,
            HashMethod = image.SignatureHashMethod,
            KeyType = image.SignatureKeyType,
            CertificateId = image.SignatureCertificateId,
            Certificate = image.SignatureCertificate,
        }, image.PackageId, image.PathInPackage, image.CreatedAt, image.UpdatedAt);
}
