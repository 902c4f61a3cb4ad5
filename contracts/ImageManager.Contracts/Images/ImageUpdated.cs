namespace ImageManager.Contracts.Images;

/// <summary>An image's mutable metadata changed (<c>PATCH /images/{id}</c>); <see cref="ChangedFields"/> names what changed.</summary>
public record ImageUpdated
{
    public required Guid ImageId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<string> ChangedFields { get; init; }

    /// <summary>The catalogue's revision after the change (the image's ETag).</summary>
    public required int Revision { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The tenant that owns the image (null for images from before tenants): whose subscribers are told.</summary>
    public string? Owner { get; init; }
}
