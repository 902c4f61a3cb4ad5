using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Ownership;

/// <summary>
/// Which copies on which VIMs Image Manager made or found, and which images rely on them. The rules:
/// <list type="bullet">
/// <item>a copy is recorded before Image Manager creates it (<see cref="ClaimAsync"/>), and an image relies on a found copy
/// only once that is recorded (<see cref="ChooseExistingAsync"/>); both hold the image's row shared, so a purge, which
/// first withdraws the image (<see cref="WithdrawAsync"/>), sees every such record or prevents it;</item>
/// <item>a copy Image Manager did not create is never deleted; one it created is deleted only when no image relies on it
/// (<see cref="ReleaseAsync"/>, under the copy's row lock, so two images letting go at once delete it once, and an image
/// cannot start relying on a copy being deleted);</item>
/// <item>Image Manager's copies are shared only between images of one owner: another tenant never learns of them.</item>
/// </list>
/// </summary>
public static class VimCopyLedger
{
    /// <summary>Marks the image as leaving the catalogue; waits for claims under way, and refuses later ones.</summary>
    public static Task WithdrawAsync(DistributionDbContext db, Guid imageId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Images.Where(i => i.Id == imageId && i.WithdrawnAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.WithdrawnAt, now), cancellationToken);

    public static Task<bool> IsWithdrawnAsync(DistributionDbContext db, Guid imageId, CancellationToken cancellationToken) =>
        db.Images.AnyAsync(i => i.Id == imageId && i.WithdrawnAt != null, cancellationToken);

    /// <summary>Whether the VIM's <paramref name="vimImageId"/> is a copy Image Manager made for an image of another owner than <paramref name="image"/>'s.</summary>
    public static Task<bool> IsAnotherOwnersAsync(DistributionDbContext db, DistributableImage image, string vimId, string vimImageId, CancellationToken cancellationToken) =>
        db.VimCopies.AnyAsync(c => c.VimId == vimId && c.VimImageId == vimImageId && c.CreatedByImageManager && c.Owner != image.Owner
                                   && c.State != VimCopyStates.Removed, cancellationToken);

    /// <summary>Records the copy Image Manager is about to create for the image, and that the image relies on it; answers how (<see cref="VimCopyOrigins"/>).</summary>
    public static async Task<string> ClaimAsync(DistributionDbContext db, DistributableImage image, string vimId, string vimImageId, Guid distributionId, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ClaimAllAsync(db, [new VimCopyClaim(image, vimId, vimImageId, distributionId)], now, cancellationToken)).Single()
        ?? throw NoLongerWanted(image.Id);

    /// <summary>
    /// <see cref="ClaimAsync"/> for many claims in one transaction of three statements, whatever their number; answers each
    /// claim's origin in their order, null for a claim whose image is leaving (it records nothing).
    /// </summary>
    public static async Task<IReadOnlyList<string?>> ClaimAllAsync(DistributionDbContext db, IReadOnlyList<VimCopyClaim> claims, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The images stay wanted until the claims are committed (a purge's withdrawal waits for them); one leaving fails its claims only.
        var imageIds = claims.Select(c => c.Image.Id).Distinct().Order().ToArray();
        var wanted = (await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM images WHERE id = ANY({imageIds}) AND withdrawn_at IS NULL ORDER BY id FOR SHARE")
            .ToListAsync(cancellationToken)).ToHashSet();
        var made = claims.Where(c => wanted.Contains(c.Image.Id)).ToList();

        // A copy this image's earlier attempt recorded is claimed again (and one a removal took away, made anew); any other
        // recorded copy keeps its owner, and this image relies on it as found. Each copy once (a statement may not insert or
        // update one row twice), then each reference once. Two images claiming one copy together cannot happen through
        // uploads (the id on the VIM derives from the distribution and the VIM); if it did, the first would decide whether a
        // copy removed earlier is made anew.
        var copies = made.DistinctBy(c => (c.VimId, c.VimImageId)).ToList();
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

        var origins = await ReferAllAsync(db, made, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var byReference = origins.ToDictionary(r => (r.ImageId, r.VimId, r.VimImageId), r => r.Origin);
        return claims.Select(c => wanted.Contains(c.Image.Id) ? byReference[(c.Image.Id, c.VimId, c.VimImageId)] : null).ToList();
    }

    /// <summary>The copy the image may rely on, of those with its bytes, and how (<see cref="VimCopyOrigins"/>); null: create one.</summary>
    public static async Task<(string VimImageId, string Origin)?> ChooseExistingAsync(
        DistributionDbContext db, DistributableImage image, string vimId, IReadOnlyList<string> candidates, Guid distributionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await HoldWantedAsync(db, image.Id, cancellationToken);
        var ids = candidates.ToArray();
        var recorded = (await db.VimCopies.FromSql($"SELECT * FROM vim_copies WHERE vim_id = {vimId} AND vim_image_id = ANY({ids}) ORDER BY vim_image_id FOR UPDATE")
            .AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(c => c.VimImageId, StringComparer.Ordinal);

        // This image's own copy first, then its owner's, then one nobody here made (the VIM's operator's, adopted as found).
        var chosen = candidates.FirstOrDefault(id => recorded.GetValueOrDefault(id) is { State: VimCopyStates.Present } copy && copy.CreatedForImageId == image.Id)
            ?? candidates.FirstOrDefault(id => recorded.GetValueOrDefault(id) is { State: VimCopyStates.Present, CreatedByImageManager: true } copy && copy.Owner == image.Owner)
            ?? candidates.FirstOrDefault(id => recorded.GetValueOrDefault(id) is { State: VimCopyStates.Present, CreatedByImageManager: false })
            ?? candidates.FirstOrDefault(id => !recorded.ContainsKey(id));
        if (chosen is null)
        {
            return null;
        }

        if (!recorded.ContainsKey(chosen))
        {
            db.VimCopies.Add(new VimCopy { VimId = vimId, VimImageId = chosen, State = VimCopyStates.Present, CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        var origin = (await ReferAllAsync(db, [new VimCopyClaim(image, vimId, chosen, distributionId)], now, cancellationToken)).Single().Origin;
        await transaction.CommitAsync(cancellationToken);
        return (chosen, origin);
    }

    /// <summary>
    /// The copies uploads created are on their VIMs and proven: present. Answers those confirmed; one missing from the
    /// answer was taken over by a removal meanwhile (its image is being deleted): its upload must delete what it made.
    /// </summary>
    public static async Task<HashSet<(string VimId, string VimImageId)>> ConfirmAsync(
        DistributionDbContext db, IReadOnlyCollection<(string VimId, string VimImageId)> made, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<ConfirmedCopy>($"""
            UPDATE vim_copies c SET state = {VimCopyStates.Present}, updated_at = {now}
            FROM unnest({made.Select(m => m.VimId).ToArray()}, {made.Select(m => m.VimImageId).ToArray()}) AS made(vim_id, vim_image_id)
            WHERE c.vim_id = made.vim_id AND c.vim_image_id = made.vim_image_id AND c.state IN ({VimCopyStates.Creating}, {VimCopyStates.Present})
            RETURNING c.vim_id AS "VimId", c.vim_image_id AS "VimImageId"
            """).ToListAsync(cancellationToken);
        return rows.Select(r => (r.VimId, r.VimImageId)).ToHashSet();
    }

    /// <summary>
    /// The image lets go of its copies on the VIM. Each is either released (left on the VIM, with the reason) or to be
    /// deleted by the caller, which then reports with <see cref="RemovedAsync"/> or <see cref="RemovalRefusedAsync"/>.
    /// </summary>
    public static async Task<List<VimCopyRelease>> ReleaseAsync(DistributionDbContext db, Guid imageId, string vimId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var references = await db.VimCopyReferences.Where(r => r.ImageId == imageId && r.VimId == vimId).OrderBy(r => r.VimImageId).ToListAsync(cancellationToken);
        var releases = new List<VimCopyRelease>();
        foreach (var reference in references)
        {
            var copy = (await db.VimCopies.FromSql($"SELECT * FROM vim_copies WHERE vim_id = {vimId} AND vim_image_id = {reference.VimImageId} FOR UPDATE")
                .ToListAsync(cancellationToken)).Single();
            var others = await db.VimCopyReferences.CountAsync(r => r.VimId == vimId && r.VimImageId == reference.VimImageId && r.ImageId != imageId, cancellationToken);
            var keptBecause = KeptBecause(copy, others, "Left on the VIM");
            if (keptBecause is not null)
            {
                db.VimCopyReferences.Remove(reference);
                releases.Add(new VimCopyRelease(copy.VimImageId, Delete: false, keptBecause));
                continue;
            }

            copy.State = VimCopyStates.Removing;
            copy.UpdatedAt = now;
            releases.Add(new VimCopyRelease(copy.VimImageId, Delete: true, null));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return releases;
    }

    /// <summary>
    /// The image's copies on the VIM that a deactivation may deactivate (<see cref="VimCopyRelease.Delete"/> true: made by
    /// Image Manager, relied on by this image alone, not removed), and why the others are left alone: the rules of
    /// <see cref="ReleaseAsync"/>, without letting go of anything (the image still relies on its copies, deactivated or not).
    /// </summary>
    public static async Task<List<VimCopyRelease>> DeactivationsAsync(DistributionDbContext db, Guid imageId, string vimId, CancellationToken cancellationToken)
    {
        var copies = await db.VimCopyReferences.AsNoTracking()
            .Where(r => r.ImageId == imageId && r.VimId == vimId)
            .Join(db.VimCopies.AsNoTracking(), r => new { r.VimId, r.VimImageId }, c => new { c.VimId, c.VimImageId }, (r, c) => c)
            .Select(c => new { Copy = c, Others = db.VimCopyReferences.Count(o => o.VimId == c.VimId && o.VimImageId == c.VimImageId && o.ImageId != imageId) })
            .ToListAsync(cancellationToken);
        return copies.OrderBy(c => c.Copy.VimImageId, StringComparer.Ordinal)
            .Select(c => KeptBecause(c.Copy, c.Others, "Left active") is { } kept
                ? new VimCopyRelease(c.Copy.VimImageId, Delete: false, kept)
                : new VimCopyRelease(c.Copy.VimImageId, Delete: true, null))
            .ToList();
    }

    /// <summary>Why Image Manager must leave a copy alone (<paramref name="left"/>: what becomes of it), or null when it may act on it.</summary>
    static string? KeptBecause(VimCopy copy, int others, string left) =>
        !copy.CreatedByImageManager ? $"{left}: image {copy.VimImageId} was there already and Image Manager did not create it."
        : others > 0 ? $"{left}: {others} other catalogue image(s) rely on image {copy.VimImageId}."
        : copy.State is VimCopyStates.Removed or VimCopyStates.Forgotten ? $"Image {copy.VimImageId} was removed already."
        : null;

    /// <summary>Deleted from the VIM: no image relies on it any more, and the row stays as the record of what was there.</summary>
    public static async Task RemovedAsync(DistributionDbContext db, string vimId, string vimImageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.VimCopyReferences.Where(r => r.VimId == vimId && r.VimImageId == vimImageId).ExecuteDeleteAsync(cancellationToken);
        await db.VimCopies.Where(c => c.VimId == vimId && c.VimImageId == vimImageId)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.State, VimCopyStates.Removed).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The VIM would not delete it: it is still there, still relied on, and says why.</summary>
    public static Task RemovalRefusedAsync(DistributionDbContext db, string vimId, string vimImageId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.VimCopies.Where(c => c.VimId == vimId && c.VimImageId == vimImageId && c.State == VimCopyStates.Removing)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.State, VimCopyStates.Present).SetProperty(c => c.LastError, reason).SetProperty(c => c.UpdatedAt, now), cancellationToken);

    /// <summary>
    /// An operator says the image is not on the VIM any more (the VIM is gone for good): its references go, and the copies
    /// Image Manager made that nothing else relies on are marked forgotten, never to be touched again.
    /// </summary>
    public static async Task<List<string>> ForgetAsync(DistributionDbContext db, Guid imageId, string vimId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var copies = await db.VimCopyReferences.Where(r => r.ImageId == imageId && r.VimId == vimId).Select(r => r.VimImageId).ToListAsync(cancellationToken);
        await db.VimCopyReferences.Where(r => r.ImageId == imageId && r.VimId == vimId).ExecuteDeleteAsync(cancellationToken);
        await db.VimCopies
            .Where(c => c.VimId == vimId && copies.Contains(c.VimImageId) && c.CreatedByImageManager
                && !db.VimCopyReferences.Any(r => r.VimId == c.VimId && r.VimImageId == c.VimImageId))
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.State, VimCopyStates.Forgotten).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return copies;
    }

    /// <summary>The VIMs on which Image Manager recorded copies the image relies on.</summary>
    public static Task<List<string>> VimsOfAsync(DistributionDbContext db, Guid imageId, CancellationToken cancellationToken) =>
        db.VimCopyReferences.Where(r => r.ImageId == imageId).Select(r => r.VimId).Distinct().OrderBy(v => v).ToListAsync(cancellationToken);

    /// <summary>Holds the image's row shared until the transaction ends, and refuses an image that is leaving the catalogue.</summary>
    static async Task HoldWantedAsync(DistributionDbContext db, Guid imageId, CancellationToken cancellationToken)
    {
        var image = (await db.Images.FromSql($"SELECT * FROM images WHERE id = {imageId} FOR SHARE").AsNoTracking().ToListAsync(cancellationToken)).SingleOrDefault();
        if (image is null or { WithdrawnAt: not null })
        {
            throw NoLongerWanted(imageId);
        }
    }

    /// <summary>Why no copy of a leaving image is claimed or adopted.</summary>
    public static ImageWithdrawnException NoLongerWanted(Guid imageId) =>
        new($"Image {imageId} is being deleted from the catalogue; no copy of it is made or adopted any more.");

    /// <summary>Each image relies on its claimed copy (once); answers how it came to.</summary>
    static async Task<List<ReferenceOrigin>> ReferAllAsync(DistributionDbContext db, IReadOnlyList<VimCopyClaim> claims, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var references = claims.DistinctBy(c => (c.Image.Id, c.VimId, c.VimImageId)).ToList();
        return references.Count == 0 ? [] : await db.Database.SqlQuery<ReferenceOrigin>($"""
            INSERT INTO vim_copy_references (image_id, vim_id, vim_image_id, origin, distribution_id, created_at)
            SELECT r.image_id, r.vim_id, r.vim_image_id,
                   CASE WHEN c.created_for_image_id = r.image_id THEN {VimCopyOrigins.Created} ELSE {VimCopyOrigins.Found} END, r.distribution_id, {now}
            FROM unnest({references.Select(c => c.Image.Id).ToArray()}, {references.Select(c => c.VimId).ToArray()},
                        {references.Select(c => c.VimImageId).ToArray()}, {references.Select(c => c.DistributionId).ToArray()}) AS r(image_id, vim_id, vim_image_id, distribution_id)
            JOIN vim_copies c ON c.vim_id = r.vim_id AND c.vim_image_id = r.vim_image_id
            ON CONFLICT (image_id, vim_id, vim_image_id) DO UPDATE SET origin = vim_copy_references.origin
            RETURNING image_id AS "ImageId", vim_id AS "VimId", vim_image_id AS "VimImageId", origin AS "Origin"
            """).ToListAsync(cancellationToken);
    }

    sealed record ReferenceOrigin(Guid ImageId, string VimId, string VimImageId, string Origin);

    sealed record ConfirmedCopy(string VimId, string VimImageId);
}
