namespace ImageManager.Contracts.Images;

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
    public string? Visibility { get; init; }
    public string? Owner { get; init; }

    /// <summary>The tenants a <c>shared</c> image is shared with.</summary>
    public List<string?>? SharedWith { get; init; }
    public List<string?>? Tags { get; init; }
    public Dictionary<string, string?>? Properties { get; init; }
    public string? OsDistro { get; init; }
    public string? OsVersion { get; init; }
    public string? Architecture { get; init; }
    public int? MinRamMb { get; init; }
    public int? MinDiskGb { get; init; }
    public bool? Protected { get; init; }
    public DateOnly? EndOfLife { get; init; }
    public bool? ExcludeFromLatest { get; init; }
}
