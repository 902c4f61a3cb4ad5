namespace ImageManager.Contracts.Distributions;

/// <summary>
/// How many bytes of an image have gone to one target's VIM in its current attempt, and at what rate so far (bytes per
/// second since the transfer began; null before it can be told).
/// </summary>
public record TargetBytes
{
    public required Guid DistributionId { get; init; }
    public required string VimId { get; init; }
    public required int Attempt { get; init; }
    public required long Bytes { get; init; }
    public double? BytesPerSecond { get; init; }
}
