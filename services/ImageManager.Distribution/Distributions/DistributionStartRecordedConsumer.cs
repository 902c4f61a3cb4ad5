using ImageManager.Contracts;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Regions;
using ImageManager.Distribution.Uploads;
using ImageManager.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Starts a distribution that was written with its targets (<see cref="DistributionCreation"/>, or a removal by
/// <see cref="Removals.RemovalCreation"/>): sends the uploads its strategy starts at once, each to its queue (<see cref="UploadRouting"/>; a removal's deletions and a deactivation's deactivations, all at once), publishes <see cref="DistributionStarted"/> and schedules its deadline, in one
/// transaction that marks the row first and commits after the sends: the row is the outbox. Whoever wrote the row asks
/// for this after its commit; a crash before that is caught by <see cref="UnstartedDistributionSweep"/>.
/// Only a crash between the sends and the commit sends twice (harmless: uploads ensure presence).
/// </summary>
public sealed class DistributionStartRecordedConsumer(DistributionDbContext db, UploadRouting routing, TimeProvider clock) : IConsumer<DistributionStartRecorded>
{
    /// <summary>Commands in flight to the broker at once while a start sends them.</summary>
    public const int SendChunk = 500;

    /// <summary>The uploads of these targets, <see cref="UploadImageToVimsConsumer.TargetsPerCommand"/> to a command.</summary>
    public static IEnumerable<UploadImageToVims> UploadCommands(Guid distributionId, Guid imageId, IEnumerable<string> vimIds) =>
        vimIds.Chunk(UploadImageToVimsConsumer.TargetsPerCommand)
            .Select(targets => new UploadImageToVims { DistributionId = distributionId, ImageId = imageId, VimIds = targets });

    public async Task Consume(ConsumeContext<DistributionStartRecorded> context)
    {
        var id = context.Message.DistributionId;
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        // Marks the row and holds it until the commit. A row another replica holds is being started (sending thousands of
        // uploads takes a while): this request is a duplicate (the sweep's, or a redelivery) and leaves at once rather
        // than wait on the lock; if that start dies before its commit, the row stays unmarked and the sweep asks again.
        var owed = await db.Distributions
            .FromSql($"""
                UPDATE distributions SET start_published_at = {clock.GetUtcNow()}
                WHERE id = (SELECT id FROM distributions WHERE id = {id} AND start_published_at IS NULL FOR UPDATE SKIP LOCKED)
                RETURNING *, xmin
                """)
            .AsNoTracking()
            .ToListAsync(context.CancellationToken);
        if (owed is not [var distribution])
        {
            return; // started already, or being started
        }

        // Those a cancel reached before the start are no longer pending, and are not sent.
        var startNow = await db.Targets.AsNoTracking()
            .Where(t => t.DistributionId == id && t.DispatchedAt != null && t.State == TargetStates.Pending)
            .OrderBy(t => t.Sequence)
            .Select(t => t.VimId)
            .ToListAsync(context.CancellationToken);
        // Sent a chunk at a time, the chunk's sends together: each waits for the broker's confirm, and ten thousand one
        // after another took longer than the uploads they start (the start paced a whole distribution at ~75 targets/s).
        if (distribution.Kind == DistributionKinds.Removal)
        {
            var removals = await context.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.RemoveImageFromVim));
            foreach (var chunk in startNow.Chunk(SendChunk))
            {
                await removals.SendBatch(chunk.Select(vimId => new RemoveImageFromVim { RemovalId = id, ImageId = distribution.ImageId, VimId = vimId }), context.CancellationToken);
            }
        }
        else if (distribution.Kind == DistributionKinds.Deactivation)
        {
            var deactivations = await context.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.DeactivateImageOnVim));
            foreach (var chunk in startNow.Chunk(SendChunk))
            {
                await deactivations.SendBatch(chunk.Select(vimId => new DeactivateImageOnVim { DeactivationId = id, ImageId = distribution.ImageId, VimId = vimId }), context.CancellationToken);
            }
        }
        else if (distribution.Kind == DistributionKinds.Distribution)
        {
            await routing.SendAsync(context, id, distribution.ImageId, startNow, context.CancellationToken);
        }

        // A recall sends nothing itself: its removal, deactivation or successor's distribution does the work (Recalls.RecallProgress).

        await context.Publish(new DistributionStarted
        {
            DistributionId = id,
            ImageId = distribution.ImageId,
            Kind = distribution.Kind,
            TargetCount = distribution.TargetCount,
            Tenant = distribution.Tenant,
            RetryOf = distribution.RetryOf,
            StartedAt = distribution.UpdatedAt,
        }, context.CancellationToken);

        // Kept by the durable scheduler: a restart between now and the deadline loses nothing.
        if (distribution.Deadline is { } deadline)
        {
            await context.SchedulePublish(deadline.UtcDateTime, new DistributionDeadlinePassed { DistributionId = id, Deadline = deadline }, context.CancellationToken);
        }

        await transaction.CommitAsync(context.CancellationToken);
    }
}
