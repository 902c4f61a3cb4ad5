using ImageManager.Contracts.Locations;

namespace ImageManager.Contracts.Images;

/// <summary>An image as the API shows it. <see cref="Locations"/> only in the answer about one image, not in lists.</summary>
public sealed record ImageResource
{
    public required Guid Id { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public string? Vendor { get; init; }
    public string? Description { get; init; }
    public string? DiskFormat { get; init; }
    public string? ContainerFormat { get; init; }
    public required string Status { get; init; }
    public required string Visibility { get; init; }
    public string? Owner { get; init; }
    public required IReadOnlyList<string> SharedWith { get; init; }
    public string? UploadedBy { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required IReadOnlyDictionary<string, string> Properties { get; init; }
    public string? OsDistro { get; init; }
    public string? OsVersion { get; init; }
    public string? Architecture { get; init; }
    public int? MinRamMb { get; init; }
    public int? MinDiskGb { get; init; }
    public required bool Protected { get; init; }
    public DateOnly? EndOfLife { get; init; }
    public required bool ExcludeFromLatest { get; init; }
    public long? SizeBytes { get; init; }
    public long? VirtualSizeBytes { get; init; }
    public string? Sha256 { get; init; }
    public string? Sha512 { get; init; }
    public string? DeclaredSha256 { get; init; }
    public string? DeclaredSha512 { get; init; }
    public string? DeclaredMd5 { get; init; }

    /// <summary>Validation's verdict: what the bytes were found to be and when, or why they were refused.</summary>
    public string? DetectedType { get; init; }
    public DateTimeOffset? ValidatedAt { get; init; }
    public string? RejectionReason { get; init; }
    public string? ImportError { get; init; }
    public ImageSignature? Signature { get; init; }

    /// <summary>ClamAV's verdict at validation: <c>clean</c>, or <c>not-scanned</c> (clamd unavailable and scanning not required); null before scanning existed.</summary>
    public string? MalwareScan { get; init; }

    /// <summary>The certificate the image's (or its package's) signature was verified with; null when unsigned.</summary>
    public ImageSignerResource? SignedBy { get; init; }

    /// <summary><c>trusted</c> or <c>withdrawn</c> (see <see cref="ImageTrust"/>) for a signed image; null when unsigned.</summary>
    public string? Trust { get; init; }
    public string? TrustWithdrawnReason { get; init; }
    public DateTimeOffset? TrustWithdrawnAt { get; init; }
    public Guid? PackageId { get; init; }
    public string? PathInPackage { get; init; }
    public IReadOnlyList<LocationResource>? Locations { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
