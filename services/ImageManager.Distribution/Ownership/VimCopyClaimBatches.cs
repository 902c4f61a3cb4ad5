using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Ownership;

/// <summary>
/// <see cref="VimCopyLedger.ClaimAsync"/> for every upload of the replica that claims while the previous claims are
/// written, in one transaction of three statements (a group commit: a claim alone waits for nobody). Same rules, same
/// answers: the images' rows are held shared until the claims are committed, so a purge sees them all or prevents them,
/// and a claim of an image that is leaving fails alone. When a transaction fails, its claims are made one by one, so
/// that a claim that cannot be made fails only its own upload. At ten thousand healthy VIMs the claims were one
/// transaction per upload.
/// </summary>
public sealed class VimCopyClaimBatches(IDbContextFactory<DistributionDbContext> databases, TimeProvider clock, ILogger<VimCopyClaimBatches> logger)
    : GroupCommit<VimCopyClaimBatches.Claim>(logger)
{
    /// <summary>As <see cref="VimCopyLedger.ClaimAsync"/>: records the copy about to be created, and that the image relies on it; answers how.</summary>
    public Task<string> ClaimAsync(DistributableImage image, string vimId, string vimImageId, Guid distributionId, CancellationToken cancellationToken)
    {
        var claim = new Claim(image, vimId, vimImageId, distributionId, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
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
            claim.Origin.TrySetResult(await VimCopyLedger.ClaimAsync(db, claim.Image, claim.VimId, claim.VimImageId, claim.DistributionId, clock.GetUtcNow(), cancellationToken));
        }
        catch (Exception exception)
        {
            claim.Origin.TrySetException(exception);
        }
    }

    protected override async Task WriteAsync(List<Claim> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The images stay wanted until the claims are committed (a purge's withdrawal waits for them); one leaving fails its claims only.
        var imageIds = batch.Select(c => c.Image.Id).Distinct().Order().ToArray();
        var wanted = (await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM images WHERE id = ANY({imageIds}) AND withdrawn_at IS NULL ORDER BY id FOR SHARE")
            .ToListAsync(cancellationToken)).ToHashSet();
        var leaving = batch.Where(c => !wanted.Contains(c.Image.Id)).ToList();
        var claims = batch.Where(c => wanted.Contains(c.Image.Id)).ToList();

        // Each copy once (a statement may not insert or update one row twice), then each reference once. Two images claiming
        // one copy in one transaction cannot happen through uploads (the id on the VIM derives from the distribution and the
        // VIM); if it did, the first would decide whether a copy removed earlier is made anew.
        var copies = claims.DistinctBy(c => (c.VimId, c.VimImageId)).ToList();
        if (copies.Count > 0)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO vim_copies (vim_id, vim_image_id, created_by_image_manager, created_for_image_id, owner, state, created_at, updated_at)
                SELECT c.vim_id, c.vim_image_id, TRUE, c.image_id, c.owner, {VimCopyStates.Creating}, {now}, {now}
                FROM unnest({copies.Select(c => c.VimId).ToArray()}, {copies.Select(c => c.VimImageId).ToArray()},
                            {copies.Select(c => c.Image.Id).ToArray()}, {copies.Select(c => c.Image.Owner).ToArray()}) AS c(vim_id, vim_image_id, image_id, owner)
                ON CONFLICT (vim_id, vim_image_id) DO UPDATE SET state = {VimCopyStates.Creating}, updated_at = {now}
                WHERE vim_copies.created_for_image_id = excluded.created_for_image_id AND vim_copies.state = {VimCopyStates.Removed}
                """, cancellationToken);
        }

        var references = claims.DistinctBy(c => (c.Image.Id, c.VimId, c.VimImageId)).ToList();
        var origins = references.Count == 0 ? [] : await db.Database.SqlQuery<Reference>($"""
            INSERT INTO vim_copy_references (image_id, vim_id, vim_image_id, origin, distribution_id, created_at)
            SELECT r.image_id, r.vim_id, r.vim_image_id,
                   CASE WHEN c.created_for_image_id = r.image_id THEN {VimCopyOrigins.Created} ELSE {VimCopyOrigins.Found} END, r.distribution_id, {now}
            FROM unnest({references.Select(c => c.Image.Id).ToArray()}, {references.Select(c => c.VimId).ToArray()},
                        {references.Select(c => c.VimImageId).ToArray()}, {references.Select(c => c.DistributionId).ToArray()}) AS r(image_id, vim_id, vim_image_id, distribution_id)
            JOIN vim_copies c ON c.vim_id = r.vim_id AND c.vim_image_id = r.vim_image_id
            ON CONFLICT (image_id, vim_id, vim_image_id) DO UPDATE SET origin = vim_copy_references.origin
            RETURNING image_id AS "ImageId", vim_id AS "VimId", vim_image_id AS "VimImageId", origin AS "Origin"
            """).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var byReference = origins.ToDictionary(r => (r.ImageId, r.VimId, r.VimImageId), r => r.Origin);
        foreach (var claim in claims)
        {
            claim.Origin.TrySetResult(byReference[(claim.Image.Id, claim.VimId, claim.VimImageId)]);
        }

        foreach (var claim in leaving)
        {
            claim.Origin.TrySetException(VimCopyLedger.NoLongerWanted(claim.Image.Id));
        }
    }

    /// <summary>One upload's claim, and its answer.</summary>
    public sealed record Claim(DistributableImage Image, string VimId, string VimImageId, Guid DistributionId, TaskCompletionSource<string> Origin);

    sealed record Reference(Guid ImageId, string VimId, string VimImageId, string Origin);
}
