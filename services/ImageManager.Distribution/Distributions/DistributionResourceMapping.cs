using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Budgets;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// How <see cref="DistributionResource"/>, the API's shape (in the contracts), is made from what this service stores.
/// Progress counts bytes: each final target is a whole, each uploading one the share of the image it has sent
/// (<see cref="TargetResourceMapping.ProgressOf"/>). The time left is the slowest transfer's when every open target is
/// sending at a known pace, else the time so far scaled by what is left of the progress.
/// </summary>
public static class DistributionResourceMapping
{
    extension(DistributionResource)
    {
        public static DistributionResource From(
            DistributionState saga, IReadOnlyDictionary<string, int> counts, long bytesSent, double uploadingShare, double? slowestTransferSeconds,
            IReadOnlyList<TargetResource> firstTargets, string? targetsNext, DateTimeOffset now)
        {
            var final = TargetStates.Final.Sum(state => counts.GetValueOrDefault(state));
            var done = final + (counts.GetValueOrDefault(TargetStates.Verifying) * TargetResourceMapping.MostBeforeFinal) + uploadingShare;
            var progress = saga.TargetCount == 0 || final == saga.TargetCount ? 1.0 : Math.Min(done / saga.TargetCount, TargetResourceMapping.MostBeforeFinal);
            var elapsed = (saga.CompletedAt ?? now) - saga.RequestedAt;

            // Nothing once every target is final; the slowest transfer's when all that is left is transfers with a pace; else
            // at the pace so far, unknown until the first bytes have gone.
            double? eta = saga.CompletedAt is not null || final == saga.TargetCount ? 0
                : slowestTransferSeconds is { } slowest ? TargetResourceMapping.TenthsUp(slowest)
                : progress <= 0 ? null
                : TargetResourceMapping.TenthsUp(elapsed.TotalSeconds * (1 - progress) / progress);
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
                saga.Tenant,
                DistributionEstimator.Resource(saga.EstimatedSeconds, saga.EstimatedLastStartSeconds, saga.EstimateBasis, saga.RequestedAt, saga.Deadline));
        }
    }
}
