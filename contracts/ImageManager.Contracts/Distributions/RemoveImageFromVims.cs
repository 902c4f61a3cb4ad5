namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Command to the distribution service: delete an image from these VIMs (before it leaves the catalogue). It starts a
/// distribution of kind <c>removal</c>, tracked like any other: each target goes <c>pending → removing → removed</c>
/// (or <c>failed</c> after its retries), reported as <see cref="VimImageStateChanged"/> with <see cref="RemovalId"/>
/// as its distribution id, and one <see cref="DistributionCompleted"/> ends it.
/// </summary>
public record RemoveImageFromVims
{
    public required Guid RemovalId { get; init; }
    public required Guid ImageId { get; init; }
    public required IReadOnlyList<VimImageReference> Targets { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
