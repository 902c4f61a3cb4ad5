using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>validating → rejected, keeping the reason for the user.</summary>
public sealed class ImageRejectedConsumer(CatalogDbContext db) : IConsumer<ImageRejected>
{
    public async Task Consume(ConsumeContext<ImageRejected> context)
    {
        var message = context.Message;
        await db.Images
            .Where(i => i.Id == message.ImageId && i.Status == ImageStatuses.Validating)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(i => i.Status, ImageStatuses.Rejected)
                    .SetProperty(i => i.RejectionReason, OutsideText.Sanitise(message.Reason, 2048))
                    .SetProperty(i => i.UpdatedAt, message.RejectedAt)
                    .SetProperty(i => i.Revision, i => i.Revision + 1),
                context.CancellationToken);
    }
}
