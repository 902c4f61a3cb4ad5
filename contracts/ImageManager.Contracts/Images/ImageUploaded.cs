namespace ImageManager.Contracts.Images;

/// <summary>The bytes of an image are in the blob store, addressed by <see cref="Sha256"/>; validation can start.</summary>
public record ImageUploaded
{
    public required Guid ImageId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public string? Vendor { get; init; }
    public string? DiskFormat { get; init; }
    public string? ContainerFormat { get; init; }
    public required long SizeBytes { get; init; }
    public required string Sha256 { get; init; }

    /// <summary>Null from an upload: Validation measures SHA-512 when it re-reads the bytes, and reports it in <see cref="ImageValidated"/>.</summary>
    public string? Sha512 { get; init; }
    public string? DeclaredSha256 { get; init; }
    public string? DeclaredSha512 { get; init; }

    /// <summary>A legacy MD5 some vendors still publish; checked when given, never relied on alone.</summary>
    public string? DeclaredMd5 { get; init; }
    public DeclaredSignature? Signature { get; init; }

    /// <summary>
    /// The package the image was taken from (see <see cref="PackageImageExtracted"/>), if any. The declared hash is then
    /// the package manifest's, which ties the bytes to the package; the package's own signature answered the signature
    /// policy.
    /// </summary>
    public Guid? PackageId { get; init; }

    /// <summary>
    /// For an image taken from a package: the package's signer, as Validation reported it
    /// (<see cref="PackageImageExtracted.SignedBy"/>). Validation checks that certificate against the trust store again
    /// and reports it as the image's <see cref="ImageValidated.SignedBy"/>; null when the package was unsigned (or the
    /// catalogue did not keep it).
    /// </summary>
    public ImageSigner? PackageSignedBy { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>The tenant that owns the image (null: an operator's); copies on VIMs are shared only between images of one owner.</summary>
    public string? Owner { get; init; }
}
