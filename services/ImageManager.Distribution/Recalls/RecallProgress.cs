using ImageManager.Contracts;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// Moves a recall's targets on from the state of its work, read afresh each time (so it does not matter in which order,
/// or how often, the work's changes arrive). Per VIM: the removal's target final → the recall's target takes its state
/// (<c>removed</c>, <c>released</c>, <c>failed</c>); the removal sent → <c>removing</c>; otherwise (replace) the successor's
/// target active or skipped → the removal is sent now (<c>removing</c>); the successor's target failed → the removal's
/// target is cancelled, the recalled copy stays, and the recall's target fails saying why; else <c>successor-pending</c>.
/// For <c>deactivate</c> the work is a deactivation, read the same way (<c>deactivating</c>, then its final state).
/// The removal is sent only here, after the successor is active on that VIM: that order is what keeps every VIM holding
/// one of the two images. The recall's targets only move forward (by the same progress rule as every target).
/// </summary>
public static class RecallProgress
{
    public static async Task AdvanceAsync(
        DistributionDbContext db, IPublishEndpoint publish, ISendEndpointProvider sends, Guid recallId, IReadOnlyCollection<string>? vimIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var children = await db.Set<RecallChild>().AsNoTracking().Where(c => c.RecallId == recallId).ToListAsync(cancellationToken);
        if (children.FirstOrDefault(c => c.IsWork) is not { } workChild)
        {
            return; // not a recall, or not written yet (its creation advances it once written)
        }

        var removalId = workChild.ChildId; // or the deactivation's: its targets are all sent at its start
        var working = workChild.Role == RecallChild.DeactivationRole ? TargetStates.Deactivating : TargetStates.Removing;
        var successorId = children.FirstOrDefault(c => c.Role == RecallChild.SuccessorRole)?.ChildId;
        var open = db.Targets.AsNoTracking().Where(t => t.DistributionId == recallId && TargetStates.Open.Contains(t.State));
        if (vimIds is not null)
        {
            open = open.Where(t => vimIds.Contains(t.VimId));
        }

        var own = await open.Select(t => t.VimId).ToListAsync(cancellationToken);
        if (own.Count == 0)
        {
            return;
        }

        var childIds = children.Select(c => c.ChildId).ToList();
        var work = (await db.Targets.AsNoTracking()
                .Where(t => childIds.Contains(t.DistributionId) && own.Contains(t.VimId))
                .Select(t => new { t.DistributionId, t.VimId, t.State, t.LastError, t.VimImageId, t.DispatchedAt })
                .ToListAsync(cancellationToken))
            .ToDictionary(t => (t.DistributionId, t.VimId));

        var changes = new List<(string VimId, string State, string? Error, string? VimImageId)>();
        var toRemove = new List<string>();
        var toCancel = new List<(string VimId, string Why)>();
        foreach (var vimId in own)
        {
            if (!work.TryGetValue((removalId, vimId), out var removal))
            {
                continue;
            }

            if (TargetStates.IsFinal(removal.State))
            {
                changes.Add((vimId, removal.State == TargetStates.Cancelled ? TargetStates.Failed : removal.State, removal.LastError, removal.VimImageId));
            }
            else if (removal.DispatchedAt is not null)
            {
                changes.Add((vimId, working, null, removal.VimImageId));
            }
            else
            {
                var successor = successorId is { } s && work.TryGetValue((s, vimId), out var found) ? found : null;
                if (successor?.State is TargetStates.Active or TargetStates.Skipped)
                {
                    toRemove.Add(vimId);
                    changes.Add((vimId, TargetStates.SuccessorPresent, null, null));
                }
                else if (successor is null || TargetStates.IsFinal(successor.State))
                {
                    var why = $"The successor could not be put on this VIM ({successor?.LastError ?? "it was not distributed there"}); the recalled image stays there. Retry the recall once the VIM takes the successor.";
                    toCancel.Add((vimId, why));
                    changes.Add((vimId, TargetStates.Failed, why, null));
                }
                else
                {
                    changes.Add((vimId, TargetStates.SuccessorPending, null, null));
                }
            }
        }

        if (toRemove.Count > 0)
        {
            var sent = await SendRemovalsAsync(db, sends, removalId, toRemove, now, cancellationToken);
            changes = [.. changes.Select(c => sent.Contains(c.VimId) ? c with { State = TargetStates.Removing } : c)];
        }

        if (toCancel.Count > 0)
        {
            foreach (var (vimId, why) in toCancel)
            {
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE distribution_targets SET state = {TargetStates.Cancelled}, progress = {TargetProgress.Of(0, TargetStates.Cancelled)}, last_error = {why}, updated_at = {now}
                    WHERE distribution_id = {removalId} AND vim_id = {vimId} AND state = {TargetStates.Pending} AND dispatched_at IS NULL
                    """, cancellationToken);
            }

            await DistributionCompletionCheck.ReportIfFinishedAsync(db, publish, removalId, now, cancellationToken);
        }

        await WriteAsync(db, recallId, changes, now, cancellationToken);
        if (changes.Any(c => TargetStates.IsFinal(c.State)))
        {
            await DistributionCompletionCheck.ReportIfFinishedAsync(db, publish, recallId, now, cancellationToken);
        }
    }

    /// <summary>How far a recall's target has come; it is written only forward.</summary>
    public static int Rank(string state) => state switch
    {
        TargetStates.Pending => 0,
        TargetStates.SuccessorPending => 1,
        TargetStates.SuccessorPresent => 2,
        TargetStates.Removing or TargetStates.Deactivating => 3,
        _ => 4,
    };

    /// <summary>
    /// Marks the removal's targets of these VIMs sent and sends them, in one transaction that commits after the sends: of
    /// two callers at once, only one marks a target; a crash before the commit leaves it unmarked, to be sent by the next
    /// change (a repeat is harmless: a removal of a copy gone is a release).
    /// </summary>
    static async Task<HashSet<string>> SendRemovalsAsync(
        DistributionDbContext db, ISendEndpointProvider sends, Guid removalId, List<string> vimIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var marked = await db.Database.SqlQuery<string>($"""
            UPDATE distribution_targets SET dispatched_at = {now}, updated_at = {now}
            WHERE distribution_id = {removalId} AND vim_id = ANY({vimIds.ToArray()}) AND dispatched_at IS NULL AND state = {TargetStates.Pending}
            RETURNING vim_id AS "Value"
            """).ToListAsync(cancellationToken);
        if (marked.Count > 0)
        {
            var imageId = await db.Distributions.AsNoTracking().Where(d => d.CorrelationId == removalId).Select(d => d.ImageId).FirstAsync(cancellationToken);
            var endpoint = await sends.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.RemoveImageFromVim));
            foreach (var chunk in marked.Chunk(DistributionStartRecordedConsumer.SendChunk))
            {
                await endpoint.SendBatch(chunk.Select(vimId => new RemoveImageFromVim { RemovalId = removalId, ImageId = imageId, VimId = vimId }), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return marked.ToHashSet(StringComparer.Ordinal);
    }

    static async Task WriteAsync(DistributionDbContext db, Guid recallId, List<(string VimId, string State, string? Error, string? VimImageId)> changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var final = TargetStates.Final;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE distribution_targets AS t
            SET state = c.state, progress = c.progress, last_error = COALESCE(c.error, t.last_error), vim_image_id = COALESCE(c.vim_image_id, t.vim_image_id), updated_at = {now}
            FROM unnest({changes.Select(c => c.VimId).ToArray()}, {changes.Select(c => c.State).ToArray()}, {changes.Select(c => Rank(c.State)).ToArray()},
                        {changes.Select(c => c.Error).ToArray()}, {changes.Select(c => c.VimImageId).ToArray()})
                AS c(vim_id, state, progress, error, vim_image_id)
            WHERE t.distribution_id = {recallId} AND t.vim_id = c.vim_id AND t.progress < c.progress AND NOT (t.state = ANY({final}))
            """, cancellationToken);
    }
}
