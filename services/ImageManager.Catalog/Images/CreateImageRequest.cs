namespace ImageManager.Catalog.Images;

/// <summary>Body of <c>POST /api/v1/images</c>.</summary>
public sealed record CreateImageRequest
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public string? Kind { get; init; }
    public string? Vendor { get; init; }
    public string? Description { get; init; }
    public string? DiskFormat { get; init; }
    public string? ContainerFormat { get; init; }
    public string? Sha256 { get; init; }
    public string? Sha512 { get; init; }
    public string? Md5 { get; init; }
    public ImageSignature? Signature { get; init; }
}
