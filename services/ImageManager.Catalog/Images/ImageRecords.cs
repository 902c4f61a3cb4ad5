using ImageManager.Catalog.Persistence;

namespace ImageManager.Catalog.Images;

/// <summary>How a new catalogue record is made from a checked request, whichever way it came in (HTTP or SDC's onboarding).</summary>
public static class ImageRecords
{
    public static CatalogImage New(Guid id, CreateImageRequest request, DateTimeOffset now) => new()
    {
        Id = id,
        Kind = request.Kind!,
        Name = request.Name!,
        Version = request.Version!,
        Vendor = request.Vendor,
        Description = request.Description,
        DiskFormat = request.DiskFormat,
        ContainerFormat = request.Kind == "vm-image" ? request.ContainerFormat ?? "bare" : request.ContainerFormat,
        Status = ImageStatuses.Queued,
        DeclaredSha256 = request.Sha256?.ToLowerInvariant(),
        DeclaredSha512 = request.Sha512?.ToLowerInvariant(),
        DeclaredMd5 = request.Md5?.ToLowerInvariant(),
        SignatureValue = request.Signature?.Value,
        SignatureHashMethod = request.Signature?.HashMethod,
        SignatureKeyType = request.Signature?.KeyType,
        SignatureCertificateId = request.Signature?.CertificateId,
        SignatureCertificate = request.Signature?.Certificate,
        CreatedAt = now,
        UpdatedAt = now,
    };
}
