using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using Microsoft.EntityFrameworkCore;

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
        Visibility = request.Visibility ?? ImageVisibilities.Private,
        Owner = request.Owner,
        OsDistro = request.OsDistro,
        OsVersion = request.OsVersion,
        Architecture = request.Architecture,
        MinRamMb = request.MinRamMb,
        MinDiskGb = request.MinDiskGb,
        Protected = request.Protected ?? false,
        EndOfLife = request.EndOfLife,
        ExcludeFromLatest = request.ExcludeFromLatest ?? false,
        Tags = (request.Tags ?? []).Distinct(StringComparer.Ordinal).Select(tag => new ImageTag { ImageId = id, Tag = tag! }).ToList(),
        Shares = (request.SharedWith ?? []).Distinct(StringComparer.Ordinal).Select(tenant => new ImageShare { ImageId = id, Tenant = tenant! }).ToList(),
        Properties = (request.Properties ?? []).Select(p => new ImageProperty { ImageId = id, Key = p.Key, Value = p.Value! }).ToList(),
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>
    /// The <see cref="ImageUploaded"/> that starts validation, from what the catalogue recorded of an image whose bytes
    /// are stored, with its declared signature (a registered certificate resolved to its PEM): validating again must
    /// check the same signature, never pass an image for lack of it. An image taken out of a package goes with the
    /// package's signer as the package's verdict recorded it, so that validating it again checks that signer again
    /// (and the image keeps it) instead of passing it unsigned.
    /// </summary>
    public static async Task<ImageUploaded> UploadedAsync(CatalogImage image, CatalogDbContext db, CancellationToken cancellationToken) => new()
    {
        ImageId = image.Id,
        Name = image.Name,
        Version = image.Version,
        Kind = image.Kind,
        Vendor = image.Vendor,
        DiskFormat = image.DiskFormat,
        ContainerFormat = image.ContainerFormat,
        SizeBytes = image.SizeBytes ?? throw new InvalidOperationException($"Image {image.Id} has no stored bytes."),
        Sha256 = image.Sha256 ?? throw new InvalidOperationException($"Image {image.Id} has no stored bytes."),
        Sha512 = image.Sha512,
        DeclaredSha256 = image.DeclaredSha256,
        DeclaredSha512 = image.DeclaredSha512,
        DeclaredMd5 = image.DeclaredMd5,
        PackageId = image.PackageId,
        Owner = image.Owner,
        Signature = image.SignatureValue is null ? null : new DeclaredSignature
        {
            Value = image.SignatureValue,
            HashMethod = image.SignatureHashMethod ?? "",
            KeyType = image.SignatureKeyType ?? "",
            CertificatePem = image.SignatureCertificate
                ?? await db.Certificates.Where(c => c.Id == image.SignatureCertificateId).Select(c => c.Pem).FirstOrDefaultAsync(cancellationToken),
        },
        PackageSignedBy = image.PackageId is { } packageId ? await PackageSignerAsync(db, packageId, cancellationToken) : null,
        UploadedAt = image.UpdatedAt,
    };

    /// <summary>The signer recorded with a package's verdict; null when the package is unsigned or has no verdict yet.</summary>
    static Task<ImageSigner?> PackageSignerAsync(CatalogDbContext db, Guid packageId, CancellationToken cancellationToken) =>
        db.Images.AsNoTracking()
            .Where(i => i.Id == packageId && i.SignerSha256Fingerprint != null)
            .Select(i => new ImageSigner
            {
                Subject = i.SignerSubject!,
                Issuer = i.SignerIssuer!,
                SerialNumber = i.SignerSerialNumber!,
                Sha256Fingerprint = i.SignerSha256Fingerprint!,
                NotAfter = i.SignerNotAfter!.Value,
                AuthoritySha256Fingerprint = i.SignerAuthoritySha256Fingerprint!,
                CertificatePem = i.SignerCertificatePem!,
            })
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The image with its tags and properties, untracked; null when there is none.</summary>
    public static Task<CatalogImage?> FindAsync(CatalogDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Images.AsNoTracking().Include(i => i.Tags).Include(i => i.Properties).Include(i => i.Shares).AsSplitQuery().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    /// <summary>The entity tag of an image's current revision (strong: every change bumps the revision).</summary>
    public static string ETag(CatalogImage image) => $"\"{image.Revision}\"";

    public static ImageCatalogued Catalogued(CatalogImage image) => new()
    {
        ImageId = image.Id,
        Kind = image.Kind,
        Name = image.Name,
        Version = image.Version,
        Vendor = image.Vendor,
        Status = image.Status,
        Visibility = image.Visibility,
        Owner = image.Owner,
        PackageId = image.PackageId,
        CataloguedAt = image.CreatedAt,
    };

    /// <summary>Whether another image holds the same bytes (the blob store is content-addressed).</summary>
    public static async Task<bool> BytesStillUsedAsync(CatalogDbContext db, CatalogImage image, CancellationToken cancellationToken) =>
        image.Sha256 is not null && await db.Images.AnyAsync(i => i.Sha256 == image.Sha256 && i.Id != image.Id, cancellationToken);

    /// <summary>
    /// Takes a tracked image out of the catalogue with its remaining location rows, and queues <see cref="ImageDeleted"/>
    /// (saying whether its bytes are still used) in the same transaction.
    /// </summary>
    public static async Task RemoveAsync(CatalogDbContext db, CatalogImage image, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.Images.Remove(image);
        db.Locations.RemoveRange(await db.Locations.Where(l => l.ImageId == image.Id).ToListAsync(cancellationToken));
        db.QueueEvent(new ImageDeleted
        {
            ImageId = image.Id,
            Name = image.Name,
            Version = image.Version,
            Kind = image.Kind,
            Sha256 = image.Sha256,
            BytesStillUsed = await BytesStillUsedAsync(db, image, cancellationToken),
            DeletedAt = now,
            Owner = image.Owner,
        }, now);
        await db.SaveChangesAsync(cancellationToken);
    }
}
