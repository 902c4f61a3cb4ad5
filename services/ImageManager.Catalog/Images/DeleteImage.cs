using ImageManager.Catalog.Locations;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts;
using ImageManager.Contracts.Distributions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ImageManager.Contracts.Images;

namespace ImageManager.Catalog.Images;

/// <summary>
/// <c>DELETE /images/{id}</c>. A protected image is refused until the flag is cleared. An image that is (or may be) on
/// a VIM is refused too, unless <c>?purge=true</c>: then it becomes <c>deleting</c>, the distribution service removes
/// it from every VIM, and it leaves the catalogue when the last location is gone (202). Otherwise it goes at once
/// (200); the answer says whether another image still holds the same bytes, so the Api knows if the blob may go.
/// </summary>
public static class DeleteImage
{
    const int NamedVims = 5;

    public static async Task<IResult> HandleAsync(
        Guid id, CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken, bool purge = false)
    {
        try
        {
            return await DeleteAsync(id, purge, db, outbox, clock, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request changed the image (its revision) or deleted it between the read and the delete.
            return await RacedWrite.AnswerAsync(db, id, "deleted");
        }
    }

    static async Task<IResult> DeleteAsync(Guid id, bool purge, CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var image = await db.Images.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (image is null)
        {
            return ImageEndpoints.NotFound(id);
        }

        if (image.Protected)
        {
            return ImageEndpoints.Conflict($"Image {id} is protected; clear the flag first (PATCH with {{\"protected\": false}}).");
        }

        if (image.Status == ImageStatuses.Validating)
        {
            return ImageEndpoints.Conflict($"Image {id} is being validated; delete it once it is active or rejected.");
        }

        var present = await db.Locations.Where(l => l.ImageId == id && ImageLocations.Present.Contains(l.State)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (present.Count > 0 || image.Status == ImageStatuses.Deleting)
        {
            if (!purge)
            {
                var vims = string.Join(", ", present.Take(NamedVims).Select(l => l.VimId)) + (present.Count > NamedVims ? ", …" : "");
                return ImageEndpoints.Conflict(image.Status == ImageStatuses.Deleting
                    ? $"Image {id} is already being removed from its VIMs; delete with ?purge=true again to retry the removals that failed."
                    : $"Image {id} is on {present.Count} VIM(s) ({vims}); delete with ?purge=true to remove it from them first.");
            }

            image.Status = ImageStatuses.Deleting;
            image.Revision++;
            image.UpdatedAt = now;
            db.QueueCommand(new RemoveImageFromVims
            {
                RemovalId = NewId.NextSequentialGuid(),
                ImageId = id,
                Targets = present.Select(l => new VimImageReference { VimId = l.VimId, VimImageId = l.VimImageId }).ToList(),
                RequestedAt = now,
            }, CommandQueues.RemoveImageFromVims, now);
            await db.SaveChangesAsync(cancellationToken);
            outbox.Notify();
            if (present.Count == 0)
            {
                // Nothing left on any VIM (an earlier purge removed the rest): it can go now.
                await ImageRecords.RemoveAsync(db, image, now, cancellationToken);
                outbox.Notify();
                return Results.Ok(new { id, sha256 = image.Sha256, bytesStillUsed = await ImageRecords.BytesStillUsedAsync(db, image, cancellationToken) });
            }

            return Results.Accepted($"/api/v1/images/{id}", ImageResource.From(image));
        }

        await ImageRecords.RemoveAsync(db, image, now, cancellationToken);
        outbox.Notify();
        return Results.Ok(new { id, sha256 = image.Sha256, bytesStillUsed = await ImageRecords.BytesStillUsedAsync(db, image, cancellationToken) });
    }
}
