using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// "Is any target of this distribution still open? If not, report it finished, with the counts." Asked after a write
/// that may have closed the last target has committed; asking twice is harmless (the saga completes once).
/// </summary>
public static class DistributionCompletionCheck
{
    public static async Task ReportIfFinishedAsync(DistributionDbContext db, IPublishEndpoint bus, Guid distributionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Targets.AnyAsync(t => t.DistributionId == distributionId && TargetStates.Open.Contains(t.State), cancellationToken))
        {
            return;
        }

        var counts = await db.Targets
            .Where(t => t.DistributionId == distributionId)
            .GroupBy(t => t.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, cancellationToken);
        if (counts.Count == 0)
        {
            return; // not a distribution's target
        }

        await bus.Publish(new DistributionTargetsFinished
        {
            DistributionId = distributionId,
            TargetCount = counts.Values.Sum(),
            ActiveCount = counts.GetValueOrDefault(TargetStates.Active),
            FailedCount = counts.GetValueOrDefault(TargetStates.Failed),
            SkippedCount = counts.GetValueOrDefault(TargetStates.Skipped),
            CancelledCount = counts.GetValueOrDefault(TargetStates.Cancelled),
            RemovedCount = counts.GetValueOrDefault(TargetStates.Removed),
            ReleasedCount = counts.GetValueOrDefault(TargetStates.Released),
            DeactivatedCount = counts.GetValueOrDefault(TargetStates.Deactivated),
            FinishedAt = now,
        }, cancellationToken).WaitAsync(cancellationToken); // a publish stuck on a lost channel would hold its endpoint for good
    }
}
