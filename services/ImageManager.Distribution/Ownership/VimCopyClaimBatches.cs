using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Ownership;

/// <summary>
/// <see cref="VimCopyLedger.ClaimAllAsync"/> for every upload of the replica that claims while the previous claims are
/// written (a group commit: a claim alone waits for nobody); a claim of an image that is leaving fails alone. When a transaction fails, its claims are made one by one, so
/// that a claim that cannot be made fails only its own upload. At ten thousand healthy VIMs the claims were one
/// transaction per upload.
/// </summary>
public sealed class VimCopyClaimBatches(IDbContextFactory<DistributionDbContext> databases, TimeProvider clock, ILogger<VimCopyClaimBatches> logger)
    : GroupCommit<VimCopyClaimBatches.Claim>(logger)
{
    /// <summary>As <see cref="VimCopyLedger.ClaimAsync"/>: records the copy about to be created, and that the image relies on it; answers how.</summary>
    public Task<string> ClaimAsync(DistributableImage image, string vimId, string vimImageId, Guid distributionId, CancellationToken cancellationToken)
    {
        var claim = new Claim(new VimCopyClaim(image, vimId, vimImageId, distributionId), new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(claim);
        return claim.Origin.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Makes the claims one by one, so that a claim that cannot be made fails only its own upload.</summary>
    protected override Task FailedAsync(List<Claim> batch, Exception exception, CancellationToken cancellationToken) =>
        Task.WhenAll(batch.Select(claim => ClaimAloneAsync(claim, cancellationToken)));

    async Task ClaimAloneAsync(Claim claim, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var copy = claim.Copy;
            claim.Origin.TrySetResult(await VimCopyLedger.ClaimAsync(db, copy.Image, copy.VimId, copy.VimImageId, copy.DistributionId, clock.GetUtcNow(), cancellationToken));
        }
        catch (Exception exception)
        {
            claim.Origin.TrySetException(exception);
        }
    }

    protected override async Task WriteAsync(List<Claim> batch, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var origins = await VimCopyLedger.ClaimAllAsync(db, batch.Select(c => c.Copy).ToList(), clock.GetUtcNow(), cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            if (origins[i] is { } origin)
            {
                batch[i].Origin.TrySetResult(origin);
            }
            else
            {
                batch[i].Origin.TrySetException(VimCopyLedger.NoLongerWanted(batch[i].Copy.Image.Id));
            }
        }
    }

    /// <summary>One upload's claim, and its answer.</summary>
    public sealed record Claim(VimCopyClaim Copy, TaskCompletionSource<string> Origin);
}
