namespace ImageManager.Contracts.Images;

/// <summary>
/// A disk image found inside a validated package (an ETSI SOL004 CSAR): it matched the package manifest's hash, its
/// bytes passed the format inspection and are in the blob store under <see cref="Sha256"/>. The catalogue records it
/// as an image of its own, linked to the package, and validates it like any upload. Published before the package's
/// own <see cref="ImageValidated"/>; <see cref="ImageId"/> is derived from the package and the path, so a redelivery
/// names the same image.
/// </summary>
public record PackageImageExtracted
{
    public required Guid PackageId { get; init; }
    public required Guid ImageId { get; init; }

    /// <summary>Where the image sits in the package, e.g. <c>Files/images/vnf.qcow2</c>.</summary>
    public required string PathInPackage { get; init; }

    /// <summary>The disk format found in the bytes (Glance's <c>disk_format</c> values).</summary>
    public required string DiskFormat { get; init; }
    public required long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public required string Sha512 { get; init; }
    public long? VirtualSizeBytes { get; init; }

    /// <summary>The manifest's <c>Algorithm</c> for this file (<c>SHA-256</c> or <c>SHA-512</c>) and its <c>Hash</c>.</summary>
    public required string ManifestAlgorithm { get; init; }
    public required string ManifestHash { get; init; }
    public required DateTimeOffset ExtractedAt { get; init; }

    /// <summary>
    /// Who signed the package (its SOL004 manifest signature, or its declared signature); null when it was unsigned. The
    /// catalogue hands it back to Validation with the image (<see cref="ImageUploaded.PackageSignedBy"/>).
    /// </summary>
    public ImageSigner? SignedBy { get; init; }
}
