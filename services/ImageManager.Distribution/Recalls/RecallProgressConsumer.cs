using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// Follows the recorded changes of every distribution's targets and moves on the recalls whose work they belong to
/// (<see cref="RecallProgress"/>). A batch of no recall's costs one indexed look-up.
/// </summary>
public sealed class RecallProgressConsumer(DistributionDbContext db, TimeProvider clock) : IConsumer<VimImageStatesRecorded>
{
    public async Task Consume(ConsumeContext<VimImageStatesRecorded> context)
    {
        var ids = context.Message.Changes.Select(c => c.DistributionId).Distinct().ToList();
        var children = await db.Set<RecallChild>().AsNoTracking().Where(c => ids.Contains(c.ChildId)).ToListAsync(context.CancellationToken);
        foreach (var recall in children.GroupBy(c => c.RecallId))
        {
            var work = recall.Select(c => c.ChildId).ToHashSet();
            var vimIds = context.Message.Changes.Where(c => work.Contains(c.DistributionId)).Select(c => c.VimId).Distinct(StringComparer.Ordinal).ToList();
            await RecallProgress.AdvanceAsync(db, context, context, recall.Key, vimIds, clock.GetUtcNow(), context.CancellationToken);
        }
    }
}
