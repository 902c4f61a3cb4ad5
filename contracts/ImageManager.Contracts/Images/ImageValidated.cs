namespace ImageManager.Contracts.Images;

/// <summary>Validation passed: the image may be distributed. Carries what distribution needs, so it never asks the catalogue.</summary>
public record ImageValidated
{
    public required Guid ImageId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public string? DiskFormat { get; init; }
    public string? ContainerFormat { get; init; }
    public required long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public required string Sha512 { get; init; }

    /// <summary>Size of the disk the image describes, read from its header (for raw, its length); null when the format records none.</summary>
    public long? VirtualSizeBytes { get; init; }

    /// <summary>
    /// What the bytes were found to be, whatever was declared: the disk format of a VM image, a software package's type
    /// (<c>tar.gz</c>, <c>helm-chart</c>, <c>tar</c>, <c>zip</c>, <c>deb</c>, <c>rpm</c>, <c>gzip</c>, <c>binary</c>, …), or a
    /// container image archive's layout (<c>docker-save</c>, <c>oci-layout</c>, <c>docker-save+oci-layout</c>).
    /// </summary>
    public string? DetectedType { get; init; }

    /// <summary>
    /// The malware scan by ClamAV: <c>clean</c> (every byte scanned, nothing found), or <c>not-scanned</c> (clamd was
    /// unavailable and <c>Scanning:Required</c> is false); null from a Validation that predates scanning.
    /// </summary>
    public string? MalwareScan { get; init; }

    /// <summary>
    /// The certificate of the signature that was verified (the image's own, or its package's SOL004 signature); null when
    /// the image was not signed, or from a Validation that predates recording it.
    /// </summary>
    public ImageSigner? SignedBy { get; init; }

    public required DateTimeOffset ValidatedAt { get; init; }

    /// <summary>The tenant that owns the image (null: an operator's); copies on VIMs are shared only between images of one owner.</summary>
    public string? Owner { get; init; }
}
