namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Command to the distribution service: delete an image from these VIMs (before it leaves the catalogue). Each
/// target's outcome comes back as <see cref="VimImageStateChanged"/>, <c>removed</c> or <c>failed</c>, with
/// <see cref="RemovalId"/> as its distribution id.
/// </summary>
public record RemoveImageFromVims
{
    public required Guid RemovalId { get; init; }
    public required Guid ImageId { get; init; }
    public required IReadOnlyList<VimImageReference> Targets { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
