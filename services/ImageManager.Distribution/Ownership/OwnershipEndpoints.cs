using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ImageManager.Contracts.Locations;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Ownership;

/// <summary>
/// What the Api asks before an image is deleted (its open distributions), and an operator's way out when a VIM is gone
/// for good: <c>DELETE /api/v1/images/{id}/locations/{vimId}</c> forgets the image's copies there without touching the
/// VIM, and the catalogue's location goes with a <c>released</c> change (audited by the Api as <c>image.location.forget</c>).
/// </summary>
public static class OwnershipEndpoints
{
    public static WebApplication MapOwnershipEndpoints(this WebApplication app)
    {
        app.MapGet("/internal/v1/images/{id:guid}/open-distributions", OpenDistributionsAsync);
        app.MapDelete("/api/v1/images/{id:guid}/locations/{vimId}", ForgetAsync);
        app.MapGet("/api/v1/vims/{vimId}/copies", CopiesAsync);
        return app;
    }

    /// <summary>The ledger of one VIM, for operators: nothing Image Manager put there or adopted is out of sight, even after its image left the catalogue.</summary>
    static async Task<IResult> CopiesAsync(string vimId, DistributionDbContext db, CancellationToken cancellationToken, int? limit = null, string? marker = null)
    {
        var pageSize = limit ?? 100;
        if (pageSize is < 1 or > 1000)
        {
            const string detail = "limit is a whole number from 1 to 1000.";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [detail] }, detail: detail);
        }

        var copies = db.VimCopies.AsNoTracking().Where(c => c.VimId == vimId);
        if (marker is not null)
        {
            copies = copies.Where(c => string.Compare(c.VimImageId, marker) > 0);
        }

        var page = await copies.OrderBy(c => c.VimImageId).Take(pageSize + 1)
            .Select(c => new VimCopyResource(
                c.VimImageId,
                c.CreatedByImageManager,
                c.CreatedForImageId,
                c.State,
                c.LastError,
                db.VimCopyReferences.Where(r => r.VimId == c.VimId && r.VimImageId == c.VimImageId)
                    .OrderBy(r => r.ImageId).Select(r => new VimCopyReliance(r.ImageId, r.Origin)).ToList(),
                c.CreatedAt,
                c.UpdatedAt))
            .ToListAsync(cancellationToken);
        return Results.Ok(new VimCopyListResource(vimId, page.Take(pageSize).ToList(), page.Count > pageSize ? page[pageSize - 1].VimImageId : null));
    }

    /// <summary>The image's distributions with targets not final yet, oldest first: a delete without purge is refused while there are any.</summary>
    static async Task<IResult> OpenDistributionsAsync(Guid id, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var open = await db.Distributions.AsNoTracking()
            .Where(d => d.ImageId == id && d.Kind == DistributionKinds.Distribution && d.CompletedAt == null)
            .OrderBy(d => d.RequestedAt)
            .Select(d => new
            {
                id = d.CorrelationId,
                openTargets = db.Targets.Count(t => t.DistributionId == d.CorrelationId && TargetStates.Open.Contains(t.State)),
            })
            .ToListAsync(cancellationToken);
        return Results.Ok(open);
    }

    static async Task<IResult> ForgetAsync(Guid id, string vimId, DistributionDbContext db, IPublishEndpoint bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var forgotten = await VimCopyLedger.ForgetAsync(db, id, vimId, now, cancellationToken);
        // Whether or not Distribution recorded a copy there: the catalogue's location may stand from before copies were recorded.
        await bus.Publish(new VimImageStateChanged
        {
            DistributionId = NewId.NextSequentialGuid(),
            ImageId = id,
            VimId = vimId,
            State = TargetStates.Released,
            Attempt = 1,
            VimImageId = forgotten.FirstOrDefault(),
            Error = $"Forgotten by an operator: Image Manager no longer tracks image {id} on VIM '{vimId}' and did not ask the VIM to delete anything.",
            ChangedAt = now,
        }, cancellationToken);
        return Results.Ok(new ForgottenLocationResource(id, vimId, forgotten));
    }
}
