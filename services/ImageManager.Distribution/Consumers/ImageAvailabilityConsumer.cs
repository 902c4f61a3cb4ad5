using ImageManager.Contracts.Images;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Consumers;

/// <summary>
/// Follows the catalogue's decisions about an image's use: a deactivated image is not uploaded to any further VIM
/// until reactivated; a deleted one is forgotten.
/// </summary>
public sealed class ImageAvailabilityConsumer(DistributionDbContext db) : IConsumer<ImageDeactivated>, IConsumer<ImageReactivated>, IConsumer<ImageDeleted>
{
    public Task Consume(ConsumeContext<ImageDeactivated> context) =>
        db.Images.Where(i => i.Id == context.Message.ImageId)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Deactivated, true), context.CancellationToken);

    public Task Consume(ConsumeContext<ImageReactivated> context) =>
        db.Images.Where(i => i.Id == context.Message.ImageId)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Deactivated, false), context.CancellationToken);

    public Task Consume(ConsumeContext<ImageDeleted> context) =>
        db.Images.Where(i => i.Id == context.Message.ImageId).ExecuteDeleteAsync(context.CancellationToken);
}
