using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The read every upload starts with: its VIM, whether its target was cancelled meanwhile, whether its image is leaving
/// the catalogue, and one of the VIM's upload slots taken (<see cref="VimUploadSlots"/>) unless its circuit is open. Made
/// for every upload of the replica that starts while the previous read runs, in one transaction of two statements (a
/// group commit: an upload alone waits for nobody); at ten thousand healthy VIMs it was one transaction per upload.
/// </summary>
public sealed class UploadStartReads(IDbContextFactory<DistributionDbContext> databases, VimUploadSlots slots, TimeProvider clock, ILogger<UploadStartReads> logger)
    : GroupCommit<UploadStartReads.Start>(logger)
{
    /// <summary>What the upload of <paramref name="imageId"/> to <paramref name="vimId"/> starts from; null when the VIM is not registered.</summary>
    public async Task<UploadStart?> ReadAsync(string vimId, Guid distributionId, Guid imageId, CancellationToken cancellationToken)
    {
        var start = new Start(vimId, distributionId, imageId, Guid.NewGuid(), new TaskCompletionSource<UploadStart?>(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(start);
        try
        {
            return await start.Read.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Nobody will release a slot taken for an upload that stopped waiting for it: give it back once taken.
            _ = start.Read.Task.ContinueWith(
                read => { if (read.IsCompletedSuccessfully && read.Result?.Lease is { } lease) slots.Release(lease); },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    protected override Task FailedAsync(List<Start> batch, Exception exception, CancellationToken cancellationToken)
    {
        // Each upload fails as its own read would have (the slots taken are rolled back with the transaction).
        batch.ForEach(s => s.Read.TrySetException(exception));
        return Task.CompletedTask;
    }

    protected override async Task WriteAsync(List<Start> batch, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var vimIds = batch.Select(s => s.VimId).ToArray();
        var rows = await db.Database.SqlQuery<StartRow>($"""
            SELECT r.n AS "Index",
                   EXISTS (SELECT 1 FROM distribution_targets t
                           WHERE t.distribution_id = r.distribution_id AND t.vim_id = r.vim_id AND t.state = {TargetStates.Cancelled}) AS "Cancelled",
                   EXISTS (SELECT 1 FROM images i WHERE i.id = r.image_id AND i.withdrawn_at IS NOT NULL) AS "Withdrawn",
                   CASE WHEN v.circuit_open_until IS NULL OR v.circuit_open_until <= {clock.GetUtcNow()}
                        THEN vim_upload_slot_take(v.id, v.max_concurrent_uploads, r.holder, {slots.LeaseSeconds}) END AS "Slot"
            FROM unnest({vimIds}, {batch.Select(s => s.DistributionId).ToArray()}, {batch.Select(s => s.ImageId).ToArray()}, {batch.Select(s => s.Holder).ToArray()})
                 WITH ORDINALITY AS r(vim_id, distribution_id, image_id, holder, n)
            JOIN vims v ON v.id = r.vim_id
            ORDER BY r.n
            """).ToListAsync(cancellationToken);
        var vims = await db.Vims.AsNoTracking().Where(v => vimIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var byIndex = rows.ToDictionary(r => r.Index);
        for (var i = 0; i < batch.Count; i++)
        {
            var start = batch[i];
            start.Read.TrySetResult(byIndex.TryGetValue(i + 1, out var row) && vims.TryGetValue(start.VimId, out var vim)
                ? new UploadStart(vim, row.Cancelled, row.Withdrawn, row.Slot is { } slot ? slots.Held(new VimUploadLease(vim.Id, slot, start.Holder)) : null)
                : null);
        }
    }

    /// <summary>One upload's start, and its answer.</summary>
    public sealed record Start(string VimId, Guid DistributionId, Guid ImageId, Guid Holder, TaskCompletionSource<UploadStart?> Read);

    sealed record StartRow(long Index, bool Cancelled, bool Withdrawn, int? Slot);
}
