namespace ImageManager.Contracts.Images;

/// <summary>An image left the catalogue.</summary>
public record ImageDeleted
{
    public required Guid ImageId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset DeletedAt { get; init; }
}
