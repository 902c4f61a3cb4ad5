namespace ImageManager.Api.Downstream;

/// <summary>The fields of a catalogue image the Api needs to accept an upload or a distribution.</summary>
public sealed record CatalogImageView(
    Guid Id,
    string Kind,
    string Name,
    string Version,
    string? Vendor,
    string? DiskFormat,
    string? ContainerFormat,
    string Status,
    long? SizeBytes,
    string? Sha256,
    string? Sha512,
    string? DeclaredSha256,
    string? DeclaredSha512,
    string? DeclaredMd5,
    CatalogSignatureView? Signature,
    string? Owner = null,
    string? DetectedType = null);
