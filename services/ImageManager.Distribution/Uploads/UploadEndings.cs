using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The writes a successful upload ends with, before it reports: the copy it made proven present (as
/// <see cref="VimCopyLedger.ConfirmAsync"/>) and its VIM answering (as <see cref="VimCircuitBreaker.RecordSuccessAsync"/>).
/// The endings that arrive while one transaction is written go together in the next (a group commit): one upload alone
/// waits for no one, and at ten thousand healthy VIMs these writes are no longer a transaction per upload.
/// </summary>
public sealed class UploadEndings(IDbContextFactory<DistributionDbContext> databases, TimeProvider clock, ILogger<UploadEndings> logger)
    : GroupCommit<UploadEndings.Ending>(logger)
{
    /// <summary>
    /// Records the end of an upload to <paramref name="vim"/> (as read when it began) that made <paramref name="madeCopy"/>
    /// (null when it found the image there); false when a removal took that copy over meanwhile (the image is leaving),
    /// and the upload must delete what it made.
    /// </summary>
    public Task<bool> RecordAsync(Vim vim, string? madeCopy, CancellationToken cancellationToken)
    {
        var answered = VimCircuitBreaker.HasNewsIn(vim);
        if (!answered && madeCopy is null)
        {
            return Task.FromResult(true);
        }

        var ending = new Ending(vim.Id, answered, madeCopy, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(ending);
        return ending.Written.Task.WaitAsync(cancellationToken);
    }

    protected override Task FailedAsync(List<Ending> batch, Exception exception, CancellationToken cancellationToken)
    {
        // Each upload fails as it would have on its own statement: its message is tried again.
        batch.ForEach(e => e.Written.TrySetException(exception));
        return Task.CompletedTask;
    }

    protected override async Task WriteAsync(List<Ending> batch, CancellationToken cancellationToken)
    {
        var confirmed = await ConfirmAsync(batch, cancellationToken);
        batch.ForEach(e => e.Written.TrySetResult(e.MadeCopy is null || confirmed.Contains((e.VimId, e.MadeCopy))));
    }

    async Task<HashSet<(string VimId, string VimImageId)>> ConfirmAsync(List<Ending> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var answered = batch.Where(e => e.Answered).Select(e => e.VimId).Distinct().ToArray();
        if (answered.Length > 0)
        {
            await db.Vims.Where(v => answered.Contains(v.Id)).ExecuteUpdateAsync(set => set
                .SetProperty(v => v.ConsecutiveFailures, 0)
                .SetProperty(v => v.CircuitOpenUntil, (DateTimeOffset?)null)
                .SetProperty(v => v.LastError, (string?)null)
                .SetProperty(v => v.HealthReason, (string?)null)
                .SetProperty(v => v.LastAnsweredAt, now), cancellationToken);
        }

        var made = batch.Where(e => e.MadeCopy is not null).ToList();
        var confirmed = new HashSet<(string, string)>();
        if (made.Count > 0)
        {
            var vimIds = made.Select(e => e.VimId).ToArray();
            var copies = made.Select(e => e.MadeCopy!).ToArray();
            var rows = await db.Database.SqlQuery<ConfirmedCopy>($"""
                UPDATE vim_copies c SET state = {VimCopyStates.Present}, updated_at = {now}
                FROM unnest({vimIds}, {copies}) AS made(vim_id, vim_image_id)
                WHERE c.vim_id = made.vim_id AND c.vim_image_id = made.vim_image_id AND c.state IN ({VimCopyStates.Creating}, {VimCopyStates.Present})
                RETURNING c.vim_id AS "VimId", c.vim_image_id AS "VimImageId"
                """).ToListAsync(cancellationToken);
            confirmed.UnionWith(rows.Select(r => (r.VimId, r.VimImageId)));
        }

        await transaction.CommitAsync(cancellationToken);
        return confirmed;
    }

    /// <summary>One upload's end, and its answer.</summary>
    public sealed record Ending(string VimId, bool Answered, string? MadeCopy, TaskCompletionSource<bool> Written);

    sealed record ConfirmedCopy(string VimId, string VimImageId);
}
