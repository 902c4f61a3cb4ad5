namespace ImageManager.Contracts.Images;

/// <summary>An image may no longer be distributed (it stays where it already is) until it is reactivated.</summary>
public record ImageDeactivated
{
    public required Guid ImageId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required DateTimeOffset DeactivatedAt { get; init; }

    /// <summary>The tenant that owns the image (null for images from before tenants): whose subscribers are told.</summary>
    public string? Owner { get; init; }
}
