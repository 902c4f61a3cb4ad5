using ImageManager.Contracts;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ImageManager.ServiceDefaults;

namespace ImageManager.Distribution.Images;

/// <summary>
/// Follows the catalogue's decisions about an image's use: a deactivated image is not uploaded to any further VIM
/// until reactivated; a deleted one is withdrawn (<see cref="ImageWithdrawal"/>), and any copy an upload still made
/// for it before the withdrawal is removed by a removal of its own, so nothing is left on a VIM untracked.
/// </summary>
public sealed class ImageAvailabilityConsumer(DistributionDbContext db, TimeProvider clock) : IConsumer<ImageDeactivated>, IConsumer<ImageReactivated>, IConsumer<ImageDeleted>
{
    public Task Consume(ConsumeContext<ImageDeactivated> context) =>
        db.Images.Where(i => i.Id == context.Message.ImageId)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Deactivated, true), context.CancellationToken);

    public Task Consume(ConsumeContext<ImageReactivated> context) =>
        db.Images.Where(i => i.Id == context.Message.ImageId)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Deactivated, false), context.CancellationToken);

    public async Task Consume(ConsumeContext<ImageDeleted> context)
    {
        var imageId = context.Message.ImageId;
        var now = clock.GetUtcNow();
        await ImageWithdrawal.WithdrawAsync(db, context, imageId, $"Image {imageId} was deleted from the catalogue.", now, context.CancellationToken);
        if ((await VimCopyLedger.VimsOfAsync(db, imageId, context.CancellationToken)).Count > 0)
        {
            // Named after the event, so a redelivery asks for the same removal (the saga starts it once).
            var endpoint = await context.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.RemoveImageFromVims));
            await endpoint.Send(new RemoveImageFromVims
            {
                RemovalId = context.MessageId ?? NewId.NextSequentialGuid(),
                ImageId = imageId,
                Targets = [],
                RequestedAt = now,
            }, context.CancellationToken);
        }
    }
}
