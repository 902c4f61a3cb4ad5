using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.StateMachines;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Consumers;

/// <summary>
/// Records a target's progress on its own row, with one conditional UPDATE: the event applies only if it moves the
/// target forward (<see cref="TargetProgress"/>) and the target is not final yet, so late, repeated or concurrent
/// events cannot undo a step. When the event is final, a waiting target may start in its place (<see cref="TargetDispatcher"/>),
/// and it then asks whether any target of the distribution is still open; if none is, it reports
/// <see cref="DistributionTargetsFinished"/> with the counts. The question is asked after
/// this event's own write has committed, so of two last targets finishing at once, at least the later one sees both;
/// and it is asked even when the write changed nothing, so a redelivery after a crash still completes the distribution.
/// </summary>
public sealed class TargetProgressConsumer(DistributionDbContext db, TimeProvider clock) : IConsumer<VimImageStateChanged>
{
    public async Task Consume(ConsumeContext<VimImageStateChanged> context)
    {
        var change = context.Message;
        var progress = TargetProgress.Of(change.Attempt, change.State);
        var now = clock.GetUtcNow();
        var target = db.Targets.Where(t => t.DistributionId == change.DistributionId && t.VimId == change.VimId);
        await target
            .Where(t => t.Progress < progress && !TargetStates.Final.Contains(t.State))
            .ExecuteUpdateAsync(set => set
                .SetProperty(t => t.State, change.State)
                .SetProperty(t => t.Attempt, change.Attempt)
                .SetProperty(t => t.Progress, progress)
                .SetProperty(t => t.LastError, t => change.Error ?? t.LastError)
                .SetProperty(t => t.VimImageId, t => change.VimImageId ?? t.VimImageId)
                .SetProperty(t => t.BytesSent, t => t.BytesSent > change.BytesSent ? t.BytesSent : change.BytesSent)
                .SetProperty(t => t.UpdatedAt, now),
                context.CancellationToken);

        if (TargetStates.IsFinal(change.State))
        {
            await TargetDispatcher.AfterTargetFinishedAsync(db, context, change.DistributionId, now);
        }
    }
}
