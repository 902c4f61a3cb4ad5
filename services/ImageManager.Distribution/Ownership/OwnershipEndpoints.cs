using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

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
        return app;
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
                openTargets = db.Targets.Count(t => t.DistributionId == d.CorrelationId && !TargetStates.Final.Contains(t.State)),
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
        return Results.Ok(new { imageId = id, vimId, forgottenCopies = forgotten });
    }
}
