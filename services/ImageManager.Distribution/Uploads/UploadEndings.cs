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
        await VimCircuitBreaker.RecordSuccessAsync(db, batch.Where(e => e.Answered).Select(e => e.VimId).Distinct().ToList(), now, cancellationToken);
        var made = batch.Where(e => e.MadeCopy is not null).Select(e => (e.VimId, e.MadeCopy!)).ToList();
        var confirmed = made.Count == 0 ? [] : await VimCopyLedger.ConfirmAsync(db, made, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return confirmed;
    }

    /// <summary>One upload's end, and its answer.</summary>
    public sealed record Ending(string VimId, bool Answered, string? MadeCopy, TaskCompletionSource<bool> Written);
}
