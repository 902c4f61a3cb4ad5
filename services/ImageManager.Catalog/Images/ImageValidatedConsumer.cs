using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>validating → active.</summary>
public sealed class ImageValidatedConsumer(CatalogDbContext db) : IConsumer<ImageValidated>
{
    public async Task Consume(ConsumeContext<ImageValidated> context)
    {
        var message = context.Message;
        await db.Images
            .Where(i => i.Id == message.ImageId && i.Status == ImageStatuses.Validating)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(i => i.Status, ImageStatuses.Active)
                    .SetProperty(i => i.UpdatedAt, message.ValidatedAt)
                    .SetProperty(i => i.ValidatedAt, message.ValidatedAt)
                    .SetProperty(i => i.Sha512, message.Sha512)
                    .SetProperty(i => i.DetectedType, message.DetectedType)
                    .SetProperty(i => i.VirtualSizeBytes, message.VirtualSizeBytes)
                    .SetProperty(i => i.Revision, i => i.Revision + 1),
                context.CancellationToken);
    }
}
