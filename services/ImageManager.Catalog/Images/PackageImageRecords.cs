using ImageManager.Contracts.Images;

namespace ImageManager.Catalog.Images;

/// <summary>
/// The catalogue record of a disk image taken out of a package: named after the package and the image's place in it
/// (<c>{package}/images/vnf.qcow2</c> for <c>Files/images/vnf.qcow2</c>), versioned and vendored like the package,
/// validating from the start since its bytes are already stored. It is the package owner's and visible as the package is
/// (shared with the same tenants): whoever may see the package may see what it brought.
/// </summary>
public static class PackageImageRecords
{
    const int MaxName = 255;

    public static CatalogImage New(PackageImageExtracted message, CatalogImage package, bool disambiguate = false)
    {
        var path = message.PathInPackage.StartsWith("Files/", StringComparison.Ordinal) ? message.PathInPackage["Files/".Length..] : message.PathInPackage;
        var suffix = disambiguate ? $" ({message.ImageId:N})" : "";
        var name = $"{package.Name}/{path}";
        if (name.Length + suffix.Length > MaxName)
        {
            name = name[..(MaxName - suffix.Length)];
        }

        var bySha256 = message.ManifestAlgorithm.Replace("-", "", StringComparison.Ordinal).Equals("SHA256", StringComparison.OrdinalIgnoreCase);
        return new CatalogImage
        {
            Id = message.ImageId,
            Kind = "vm-image",
            Name = name + suffix,
            Version = package.Version,
            Vendor = package.Vendor,
            Owner = package.Owner,
            Visibility = package.Visibility,
            Shares = [.. package.Shares.Select(share => new ImageShare { ImageId = message.ImageId, Tenant = share.Tenant })],
            UploadedBy = package.UploadedBy,
            Description = $"From the package {package.Name} {package.Version} ({message.PathInPackage}).",
            DiskFormat = message.DiskFormat,
            ContainerFormat = "bare",
            Status = ImageStatuses.Validating,
            DeclaredSha256 = bySha256 ? message.ManifestHash : null,
            DeclaredSha512 = bySha256 ? null : message.ManifestHash,
            Sha256 = message.Sha256,
            Sha512 = message.Sha512,
            SizeBytes = message.SizeBytes,
            PackageId = package.Id,
            PathInPackage = message.PathInPackage,
            CreatedAt = message.ExtractedAt,
            UpdatedAt = message.ExtractedAt,
        };
    }
}
