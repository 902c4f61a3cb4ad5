using ImageManager.Catalog.Images;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Distributions;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Consumers;

/// <summary>
/// Keeps the image-VIM read model: one row per pair, the latest state wins (an event older than the row is stale and
/// ignored, since deliveries may overtake each other), <c>removed</c> deletes the row. An image being purged leaves
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

        var location = await db.Locations.FirstOrDefaultAsync(l => l.ImageId == message.ImageId && l.VimId == message.VimId, context.CancellationToken);
        if (location is not null && location.ChangedAt > message.ChangedAt)
        {
            return;
        }

        if (message.State == TargetStates.Removed)
        {
            if (location is not null)
            {
                db.Locations.Remove(location);
            }
        }
        else
        {
            if (location is null)
            {
                location = new ImageLocation { ImageId = message.ImageId, VimId = message.VimId, State = message.State };
                db.Locations.Add(location);
            }

            location.State = message.State;
            location.VimImageId = message.VimImageId ?? location.VimImageId;
            location.DistributionId = message.DistributionId;
            location.Error = message.Error is { Length: > 2048 } error ? error[..2048] : message.Error;
            location.ChangedAt = message.ChangedAt;
        }

        await db.SaveChangesAsync(context.CancellationToken);
        if (image.Status == ImageStatuses.Deleting
            && !await db.Locations.AnyAsync(l => l.ImageId == image.Id && ImageLocations.Present.Contains(l.State), context.CancellationToken))
        {
            await ImageRecords.RemoveAsync(db, image, clock.GetUtcNow(), context.CancellationToken);
            outbox.Notify();
        }
    }
}
