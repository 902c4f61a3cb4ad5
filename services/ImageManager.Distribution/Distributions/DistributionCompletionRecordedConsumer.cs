using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Recalls;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Recalls;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Publishes <see cref="DistributionCompleted"/> (and answers the requester) from a completed saga row that still owes
/// it, in one transaction that marks the row first and commits after the publish: the row is the outbox. A crash before the saga row
/// was saved loses nothing (the finishing message comes again); a crash after it leaves the row unmarked, and the
/// saga sends <see cref="DistributionCompletionRecorded"/> again on any repeat of its messages. Only a crash between
/// the publish and the commit publishes twice, with the same message id (the distribution's), so that a subscriber
/// can tell; the recall's <see cref="RecallCompleted"/> likewise carries an id derived from the recall (<see cref="RecallIds"/>).
/// </summary>
public sealed class DistributionCompletionRecordedConsumer(DistributionDbContext db, TimeProvider clock) : IConsumer<DistributionCompletionRecorded>
{
    public async Task Consume(ConsumeContext<DistributionCompletionRecorded> context)
    {
        var id = context.Message.DistributionId;
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);

        // Marks the row and holds it until the commit, in one statement: a replica publishing the same row meanwhile
        // makes this wait, and then find it marked.
        var owed = await db.Distributions
            .FromSql($"""
                UPDATE distributions SET completion_published_at = {clock.GetUtcNow()}
                WHERE id = {id} AND state = 'Completed' AND completion_published_at IS NULL
                RETURNING *, xmin
                """)
            .AsNoTracking()
            .ToListAsync(context.CancellationToken);
        if (owed is not [var saga])
        {
            return; // published already, or not completed
        }

        var completed = new DistributionCompleted
        {
            DistributionId = saga.CorrelationId,
            ImageId = saga.ImageId,
            Kind = saga.Kind,
            Outcome = saga.Outcome!,
            TargetCount = saga.TargetCount,
            ActiveCount = saga.ActiveCount,
            FailedCount = saga.FailedCount,
            SkippedCount = saga.SkippedCount,
            CancelledCount = saga.CancelledCount,
            RemovedCount = saga.RemovedCount,
            ReleasedCount = saga.ReleasedCount,
            StopReason = saga.StopReason,
            CompletedAt = saga.CompletedAt!.Value,
            Tenant = saga.Tenant,
        };
        await context.Publish(completed, send => send.MessageId = saga.CorrelationId, context.CancellationToken).WaitAsync(context.CancellationToken);
        if (saga.ResponseAddress is { } responseAddress)
        {
            var requester = await context.GetSendEndpoint(responseAddress);
            await requester.Send(completed, send => send.RequestId = saga.RequestId, context.CancellationToken).WaitAsync(context.CancellationToken);
        }

        if (saga.Kind == DistributionKinds.Recall && await db.Set<Recall>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == saga.CorrelationId, context.CancellationToken) is { } recall)
        {
            // Not kept on the row (only a deactivation's targets end so): counted from the targets, final by now.
            var deactivated = recall.Action == RecallActions.Deactivate
                ? await db.Targets.CountAsync(t => t.DistributionId == saga.CorrelationId && t.State == TargetStates.Deactivated, context.CancellationToken)
                : 0;
            await context.Publish(new RecallCompleted
            {
                RecallId = recall.Id,
                ImageId = recall.ImageId,
                Action = recall.Action,
                ReasonKind = recall.ReasonKind,
                CveId = recall.CveId,
                SuccessorImageId = recall.SuccessorImageId,
                Outcome = completed.Outcome,
                TargetCount = completed.TargetCount,
                RemovedCount = completed.RemovedCount,
                ReleasedCount = completed.ReleasedCount,
                FailedCount = completed.FailedCount,
                DeactivatedCount = deactivated,
                RetryOf = saga.RetryOf,
                CompletedAt = completed.CompletedAt,
            }, send => send.MessageId = RecallIds.CompletionMessageOf(recall.Id), context.CancellationToken).WaitAsync(context.CancellationToken);
        }

        await transaction.CommitAsync(context.CancellationToken);
    }
}
