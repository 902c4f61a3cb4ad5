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

        // Conditional statements, not read-then-write: two events of one pair handled at once must not let the older win.
        var pair = db.Locations.Where(l => l.ImageId == message.ImageId && l.VimId == message.VimId);
        var error = message.Error is { Length: > 2048 } said ? said[..2048] : message.Error;
        if (message.State == TargetStates.Removed)
        {
            await pair.Where(l => l.ChangedAt <= message.ChangedAt).ExecuteDeleteAsync(context.CancellationToken);
        }
        else
        {
            var updated = await pair.Where(l => l.ChangedAt <= message.ChangedAt).ExecuteUpdateAsync(set => set
                .SetProperty(l => l.State, message.State)
                .SetProperty(l => l.VimImageId, l => message.VimImageId ?? l.VimImageId)
                .SetProperty(l => l.DistributionId, message.DistributionId)
                .SetProperty(l => l.Error, error)
                .SetProperty(l => l.ChangedAt, message.ChangedAt),
                context.CancellationToken);
            if (updated == 0 && !await pair.AnyAsync(context.CancellationToken))
            {
                // First news of this pair. A concurrent first insert makes this one fail; the retry then updates conditionally.
                db.Locations.Add(new ImageLocation
                {
                    ImageId = message.ImageId,
                    VimId = message.VimId,
                    State = message.State,
                    VimImageId = message.VimImageId,
                    DistributionId = message.DistributionId,
                    Error = error,
                    ChangedAt = message.ChangedAt,
                });
                await db.SaveChangesAsync(context.CancellationToken);
            }
        }

        if (image.Status == ImageStatuses.Deleting
            && !await db.Locations.AnyAsync(l => l.ImageId == image.Id && ImageLocations.Present.Contains(l.State), context.CancellationToken))
        {
            await ImageRecords.RemoveAsync(db, image, clock.GetUtcNow(), context.CancellationToken);
            outbox.Notify();
        }
    }
}
