using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The bytes the Api served to VIMs that pull (web-download): one statement per report, however many targets it names.
/// A count never lowers the row's, as reports from two Api replicas may cross; a new attempt starts from zero all the
/// same (<see cref="Distributions.TargetProgressConsumer"/> resets the count when the attempt changes).
/// </summary>
public sealed class TargetBytesServedConsumer(DistributionDbContext db, TimeProvider clock) : IConsumer<TargetBytesServed>
{
    public async Task Consume(ConsumeContext<TargetBytesServed> context)
    {
        var targets = context.Message.Targets
            .GroupBy(t => (t.DistributionId, t.VimId, t.Attempt))
            .Select(same => same.MaxBy(t => t.Bytes)!)
            .ToList();
        if (targets.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(context.CancellationToken);
        try
        {
            await TargetBytesUpdate.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), targets, onlyForward: true, clock.GetUtcNow(), context.CancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
