using ImageManager.Contracts.Distributions;

namespace ImageManager.Distribution.Distributions;

/// <summary>How <see cref="DistributionResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class DistributionResourceMapping
{
    extension(DistributionResource)
    {
        public static DistributionResource From(
            DistributionState saga, IReadOnlyDictionary<string, int> counts, long bytesSent, IReadOnlyList<TargetResource> firstTargets, string? targetsNext, DateTimeOffset now)
        {
            var final = TargetStates.Final.Sum(state => counts.GetValueOrDefault(state));
            var progress = saga.TargetCount == 0 ? 1.0 : (double)final / saga.TargetCount;
            var elapsed = (saga.CompletedAt ?? now) - saga.RequestedAt;

            // Time left at the pace so far; unknown until a first target is final, nothing once all are.
            double? eta = saga.CompletedAt is not null || final == saga.TargetCount ? 0
                : final == 0 ? null
                : Math.Round(elapsed.TotalSeconds / final * (saga.TargetCount - final), 1);
            return new DistributionResource(
                saga.CorrelationId,
                saga.ImageId,
                saga.CurrentState.ToLowerInvariant(),
                saga.Outcome,
                saga.RequestedAt,
                saga.CompletedAt,
                saga.TargetCount,
                TargetStates.All.ToDictionary(s => s, s => counts.GetValueOrDefault(s)),
                bytesSent,
                Math.Round(progress, 4),
                eta,
                firstTargets,
                targetsNext,
                saga.RetryOf,
                saga.Kind,
                saga.MaxParallel is null && saga.CanarySize is null && saga.MaxFailures is null && saga.Deadline is null ? null
                    : new DistributionStrategy { MaxParallel = saga.MaxParallel, CanarySize = saga.CanarySize, MaxFailures = saga.MaxFailures, Deadline = saga.Deadline },
                saga.StopReason,
                saga.Tenant);
        }
    }
}
