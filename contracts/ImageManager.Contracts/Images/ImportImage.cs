namespace ImageManager.Contracts.Images;

/// <summary>Fetch an image's bytes from a URL (Glance's <c>web-download</c> import method).</summary>
public record ImportImage
{
    public required Guid ImageId { get; init; }
    public required Uri Uri { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
