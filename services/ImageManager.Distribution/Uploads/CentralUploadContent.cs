using ImageManager.BlobStorage;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Regions;
using ImageManager.Distribution.Vims;
using ImageManager.Contracts.Distributions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// A central replica reads the bytes from the blob store. A target its region's workers did not take (its command was
/// sent to its region's queue and handed over, <see cref="RegionalQueues"/>) is pushed from here, and its record says why.
/// </summary>
public sealed class CentralUploadContent(IBlobStore blobs, IDbContextFactory<DistributionDbContext> contexts, IOptions<DistributionOptions> options,
    ILogger<CentralUploadContent> logger) : IUploadContentSource
{
    public Task<bool> ExistsAsync(DistributableImage image, CancellationToken cancellationToken) => blobs.ExistsAsync(image.Sha256, cancellationToken);

    public async Task<Func<Stream>> OpenerAsync(TargetDelivery delivery, Vim vim, DistributableImage image, CancellationToken cancellationToken)
    {
        // A batch taken over is recorded by its consumer for all its targets at once (UploadImageToVimsConsumer).
        if (delivery.Bus is ConsumeContext<UploadImageToVim> && RegionalQueues.HandedOverFrom(delivery.Bus) is { } region)
        {
            var why = RegionalHandover.Reason(region, RegionalQueues.DeadLettered(delivery.Bus), options.Value.RegionalHandoverAfter);
            await RegionalHandover.RecordAsync(contexts, delivery.Command.DistributionId, [vim.Id], why, cancellationToken);
            logger.LogInformation("VIM {VimId} of distribution {DistributionId} is pushed from the centre: {Fallback}", vim.Id, delivery.Command.DistributionId, why);
        }

        return () => Open(image);
    }

    /// <summary>
    /// The drivers open the content through a synchronous <c>Func&lt;Stream&gt;</c> (again for each retry); with an S3
    /// store this waits on one HEAD request.
    /// </summary>
    Stream Open(DistributableImage image) =>
        blobs.OpenReadAsync(image.Sha256, CancellationToken.None).GetAwaiter().GetResult()
        ?? throw new VimRejectedException("The image bytes vanished from the blob store.");
}
