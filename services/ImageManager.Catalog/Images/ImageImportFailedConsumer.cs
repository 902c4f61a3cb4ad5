using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>Keeps the reason of a failed import on the image, which stays queued for another try.</summary>
public sealed class ImageImportFailedConsumer(CatalogDbContext db) : IConsumer<ImageImportFailed>
{
    public async Task Consume(ConsumeContext<ImageImportFailed> context)
    {
        var message = context.Message;
        await db.Images
            .Where(i => i.Id == message.ImageId && i.Status == ImageStatuses.Queued)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(i => i.ImportError, OutsideText.Sanitise(message.Reason, 2048))
                    .SetProperty(i => i.UpdatedAt, message.FailedAt)
                    .SetProperty(i => i.Revision, i => i.Revision + 1),
                context.CancellationToken);
    }
}
