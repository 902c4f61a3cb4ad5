namespace ImageManager.Contracts.Distributions;

/// <summary>
/// A <see cref="DistributeRequested"/> was not started: its sender may not distribute (<see cref="Reason"/> says why).
/// Published, and sent as the response when the request was made with request/response.
/// </summary>
public record DistributionRefused
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RefusedAt { get; init; }
}
