using ImageManager.Catalog.Images;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Distributions;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Consumers;

/// <summary>
/// Keeps the image-VIM read model: one row per pair, the latest state wins (an event older than the row is stale and
/// ignored, since deliveries may overtake each other or be handled at the same time), <c>removed</c> deletes the row. An image being purged leaves
/// the catalogue when its last location is gone.
/// </summary>
public sealed class VimImageStateChangedConsumer(CatalogDbContext db, OutboxSignal outbox, TimeProvider clock) : IConsumer<VimImageStateChanged>
{
    public async Task Consume(ConsumeContext<VimImageStateChanged> context)
    {
        var message = context.Message;
        var image = await db.Images.FirstOrDefaultAsync(i => i.Id == message.ImageId, context.CancellationToken);
        if (image is null)
        {
            return; // gone from the catalogue: nothing to locate
        }

        // One atomic statement per event, not read-then-write: two events of one pair handled at once must not let the
        // older win, nor both try to insert the row. Columns change only when the event is not older than the row;
        // changed_at is assigned last, since MariaDB evaluates the assignments in order.
        var error = message.Error is { Length: > 2048 } said ? said[..2048] : message.Error;
        if (message.State == TargetStates.Removed)
        {
            await db.Locations
                .Where(l => l.ImageId == message.ImageId && l.VimId == message.VimId && l.ChangedAt <= message.ChangedAt)
                .ExecuteDeleteAsync(context.CancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO image_locations (image_id, vim_id, state, vim_image_id, distribution_id, error, changed_at)
                VALUES ({message.ImageId}, {message.VimId}, {message.State}, {message.VimImageId}, {message.DistributionId}, {error}, {message.ChangedAt})
                ON DUPLICATE KEY UPDATE
                    state = IF(VALUES(changed_at) >= changed_at, VALUES(state), state),
                    vim_image_id = IF(VALUES(changed_at) >= changed_at, COALESCE(VALUES(vim_image_id), vim_image_id), vim_image_id),
                    distribution_id = IF(VALUES(changed_at) >= changed_at, VALUES(distribution_id), distribution_id),
                    error = IF(VALUES(changed_at) >= changed_at, VALUES(error), error),
                    changed_at = GREATEST(changed_at, VALUES(changed_at))
                """, context.CancellationToken);
        }

        if (image.Status == ImageStatuses.Deleting
            && !await db.Locations.AnyAsync(l => l.ImageId == image.Id && ImageLocations.Present.Contains(l.State), context.CancellationToken))
        {
            await ImageRecords.RemoveAsync(db, image, clock.GetUtcNow(), context.CancellationToken);
            outbox.Notify();
        }
    }
}
