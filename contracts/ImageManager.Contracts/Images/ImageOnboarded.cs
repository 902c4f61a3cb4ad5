namespace ImageManager.Contracts.Images;

/// <summary>An <see cref="OnboardImage"/> was accepted: the image exists (status <c>queued</c>) and its bytes are being fetched.</summary>
public record ImageOnboarded
{
    public required Guid OnboardingId { get; init; }
    public required Guid ImageId { get; init; }
    public required DateTimeOffset AcceptedAt { get; init; }
}
