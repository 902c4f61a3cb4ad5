namespace ImageManager.Contracts.Images;

/// <summary>Validation failed; <see cref="Reason"/> is written for the person who uploaded the image.</summary>
public record ImageRejected
{
    public required Guid ImageId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RejectedAt { get; init; }
}
