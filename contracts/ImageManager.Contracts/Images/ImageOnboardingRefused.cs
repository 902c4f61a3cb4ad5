namespace ImageManager.Contracts.Images;

/// <summary>An <see cref="OnboardImage"/> was refused; <see cref="Reason"/> names the fields or the conflict.</summary>
public record ImageOnboardingRefused
{
    public required Guid OnboardingId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RefusedAt { get; init; }
}
