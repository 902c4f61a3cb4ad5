using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>A distribution's deadline came: targets not under way are cancelled, uploads already running finish.</summary>
public sealed class DistributionDeadlineConsumer(DistributionDbContext db, TimeProvider clock) : IConsumer<DistributionDeadlinePassed>
{
    public async Task Consume(ConsumeContext<DistributionDeadlinePassed> context)
    {
        var id = context.Message.DistributionId;
        var distribution = await db.Distributions.AsNoTracking().Where(d => d.CorrelationId == id)
            .Select(d => new { d.ImageId, d.CurrentState }).FirstOrDefaultAsync(context.CancellationToken);
        if (distribution is null || distribution.CurrentState == "Completed")
        {
            return;
        }

        var now = clock.GetUtcNow();
        var reason = $"Not started before the deadline {context.Message.Deadline:O}.";
        await PendingTargetCancellation.StopAsync(db, context, id, distribution.ImageId, reason, now, context.CancellationToken);
        await DistributionCompletionCheck.ReportIfFinishedAsync(db, context, id, now, context.CancellationToken);
    }
}
