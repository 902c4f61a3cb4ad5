using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// The last step of accepting a distribution or a removal: its row is written with its targets, and only after the commit
/// is its start asked for (<see cref="DistributionStartRecordedConsumer"/>); a crash in between is caught by the
/// <see cref="UnstartedDistributionSweep"/>.
/// </summary>
public static class DistributionRecording
{
    /// <summary>Writes <paramref name="saga"/> and asks for its start; false when the same request was written already (delivered twice at once).</summary>
    public static async Task<bool> RecordAndStartAsync(DistributionDbContext db, IPublishEndpoint bus, DistributionState saga, CancellationToken cancellationToken)
    {
        // The row through EF Core, its targets by COPY (DistributionTargetRows), in one transaction.
        var targets = saga.Targets;
        saga.Targets = [];
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Distributions.Add(saga);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return false; // the other delivery wrote it, and asks for its start
        }
        finally
        {
            // Not tracked: the targets just copied must not be inserted again by a later SaveChanges of this context.
            db.Entry(saga).State = EntityState.Detached;
            saga.Targets = targets;
        }

        await DistributionTargetRows.CopyAsync(db, targets, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await bus.Publish(new DistributionStartRecorded { DistributionId = saga.CorrelationId }, cancellationToken);
        return true;
    }
}
