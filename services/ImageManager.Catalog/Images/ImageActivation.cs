using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>
/// <c>POST /images/{id}/deactivate</c> and <c>/reactivate</c>: an active image stops (and starts again) being used
/// for new distributions; where it already is, it stays. Repeating either is harmless (200, nothing published).
/// </summary>
public static class ImageActivation
{
    public static Task<IResult> DeactivateAsync(Guid id, HttpContext http, CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, outbox, clock, ImageStatuses.Active, ImageStatuses.Deactivated, cancellationToken);

    public static Task<IResult> ReactivateAsync(Guid id, HttpContext http, CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, outbox, clock, ImageStatuses.Deactivated, ImageStatuses.Active, cancellationToken);

    static async Task<IResult> ChangeAsync(
        Guid id, HttpContext http, CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, string from, string to, CancellationToken cancellationToken)
    {
        var image = await db.Images.Include(i => i.Tags).Include(i => i.Properties).AsSplitQuery().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (image is null)
        {
            return ImageEndpoints.NotFound(id);
        }

        if (image.Status != to)
        {
            if (image.Status != from)
            {
                return ImageEndpoints.Conflict($"Image {id} is '{image.Status}'; only an image that is '{from}' can become '{to}'.");
            }

            var now = clock.GetUtcNow();
            image.Status = to;
            image.Revision++;
            image.UpdatedAt = now;
            if (to == ImageStatuses.Deactivated)
            {
                db.QueueEvent(new ImageDeactivated { ImageId = id, Kind = image.Kind, Name = image.Name, Version = image.Version, DeactivatedAt = now, Owner = image.Owner }, now);
            }
            else
            {
                db.QueueEvent(new ImageReactivated { ImageId = id, Kind = image.Kind, Name = image.Name, Version = image.Version, ReactivatedAt = now, Owner = image.Owner }, now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                return await RacedWrite.AnswerAsync(db, id, $"made '{to}'");
            }

            outbox.Notify();
        }

        http.Response.Headers.ETag = ImageRecords.ETag(image);
        return Results.Ok(ImageResource.From(image));
    }
}
