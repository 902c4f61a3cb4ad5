using ImageManager.Contracts.Distributions;

namespace ImageManager.Api.Notifications;

/// <summary>
/// The data of a <c>distribution.progress</c> notification: the targets of one distribution that changed in one batch
/// the Distribution service recorded, each at its furthest change (state, attempt, bytes, error as the VIM said it).
/// </summary>
public sealed record DistributionProgress
{
    public required Guid DistributionId { get; init; }

    public required Guid ImageId { get; init; }

    public required IReadOnlyList<VimImageStateChanged> Targets { get; init; }
}
