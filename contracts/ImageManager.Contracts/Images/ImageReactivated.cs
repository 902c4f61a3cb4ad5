namespace ImageManager.Contracts.Images;

/// <summary>A deactivated image may be distributed again.</summary>
public record ImageReactivated
{
    public required Guid ImageId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required DateTimeOffset ReactivatedAt { get; init; }

    /// <summary>The tenant that owns the image (null for images from before tenants): whose subscribers are told.</summary>
    public string? Owner { get; init; }
}
