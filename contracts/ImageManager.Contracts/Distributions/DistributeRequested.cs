namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Make an image present on the given VIMs. Published by the Api, or sent on the bus by SO/VF-C;
/// <see cref="DistributionId"/> is chosen by the requester and correlates every later event.
/// </summary>
public record DistributeRequested
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required IReadOnlyList<string> VimIds { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>The distribution whose failed targets this one retries, if it is a retry.</summary>
    public Guid? RetryOf { get; init; }
}
