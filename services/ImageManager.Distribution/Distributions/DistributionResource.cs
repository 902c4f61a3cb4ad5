using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.StateMachines;

namespace ImageManager.Distribution.Distributions;

/// <summary>A distribution as the status API shows it: its state, counts per target state, and every target.</summary>
public sealed record DistributionResource(
    Guid Id,
    Guid ImageId,
    string State,
    string? Outcome,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyDictionary<string, int> Counts,
    double Progress,
    IReadOnlyList<TargetResource> Targets)
{
    static readonly string[] States =
    [
        TargetStates.Pending, TargetStates.Uploading, TargetStates.Verifying, TargetStates.Active,
        TargetStates.Failed, TargetStates.Skipped, TargetStates.Cancelled,
    ];

    public static DistributionResource From(DistributionState saga)
    {
        var counts = States.ToDictionary(s => s, s => saga.Targets.Count(t => t.State == s));
        var final = saga.Targets.Count(t => TargetStates.IsFinal(t.State));
        return new DistributionResource(
            saga.CorrelationId,
            saga.ImageId,
            saga.CurrentState.ToLowerInvariant(),
            saga.Outcome,
            saga.RequestedAt,
            saga.CompletedAt,
            counts,
            saga.TargetCount == 0 ? 1.0 : Math.Round((double)final / saga.TargetCount, 4),
            saga.Targets.OrderBy(t => t.VimId, StringComparer.Ordinal).Select(TargetResource.From).ToList());
    }
}
