namespace ImageManager.Contracts.Images;

/// <summary>
/// An image's <c>endOfLife</c> day has ended (UTC): it is left out of <c>latest</c> and new distributions of it are
/// refused unless an operator forces them. Published once per end-of-life date (a later date set by PATCH announces again
/// when it passes).
/// </summary>
public record ImageReachedEndOfLife
{
    public required Guid ImageId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }

    /// <summary>The tenant that owns the image (null for images from before tenants): whose subscribers are told.</summary>
    public string? Owner { get; init; }

    public required DateOnly EndOfLife { get; init; }

    /// <summary>When the catalogue noticed (the sweep, or the PATCH that set a past date).</summary>
    public required DateTimeOffset ReachedAt { get; init; }
}
