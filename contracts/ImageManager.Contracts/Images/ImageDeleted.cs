namespace ImageManager.Contracts.Images;

/// <summary>
/// An image left the catalogue. <see cref="Sha256"/> addresses its bytes; <see cref="BytesStillUsed"/> says whether
/// another image holds the same bytes, so that the blob goes only when nothing references it.
/// </summary>
public record ImageDeleted
{
    public required Guid ImageId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public string? Sha256 { get; init; }
    public bool BytesStillUsed { get; init; }
    public required DateTimeOffset DeletedAt { get; init; }

    /// <summary>The tenant that owns the image (null for images from before tenants): whose subscribers are told.</summary>
    public string? Owner { get; init; }
}
