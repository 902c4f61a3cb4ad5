namespace ImageManager.Contracts.Images;

/// <summary>An import did not bring the bytes; the image stays <c>queued</c> and can be imported or uploaded again.</summary>
public record ImageImportFailed
{
    public required Guid ImageId { get; init; }
    public required Uri Uri { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
