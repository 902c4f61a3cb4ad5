using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using MassTransit;

namespace ImageManager.Api.Images;

/// <summary>
/// Turns a complete resumable upload into the image's blob (the store hashes and places it by content, which reads
/// every byte again: minutes for a large image on a busy store), then records and publishes as an upload does. It runs
/// here, off the request, so that the last PATCH is answered as soon as its bytes are kept and no client or balancer
/// times out on a large image; a replica that dies while assembling leaves the message to another. The store keeps the
/// upload marked complete (and its blob's address) until the catalogue has recorded it, so that no request in between
/// begins the upload anew, and a delivery after a crash records the blob the first one stored; then it is discarded.
/// </summary>
public sealed class AssembleImageUploadConsumer(
    IResumableUploads uploads, CatalogClient catalog, TimeProvider clock, ILogger<AssembleImageUploadConsumer> logger) : IConsumer<AssembleImageUpload>
{
    public async Task Consume(ConsumeContext<AssembleImageUpload> context)
    {
        var command = context.Message;
        var key = command.ImageId.ToString();
        var image = await catalog.GetImageAsync(command.ImageId, context.CancellationToken);
        if (image.Succeeded && image.Value! is { Status: "validating", Sha256: { } sha256, SizeBytes: { } length } catalogued)
        {
            // An earlier delivery recorded the blob, then died or was refused by the broker before its ImageUploaded went
            // out (this delivery is the proof that it did not finish): without asking again, the image would wait in
            // validating until the catalogue's sweep, minutes later.
            await ImageUploadCompletion.PublishUploadedAsync(catalogued, new StoredBlob(sha256, catalogued.Sha512, length), catalog, context, clock, context.CancellationToken);
            await uploads.DiscardAsync(key, context.CancellationToken);
            logger.LogInformation("Assembly of image {ImageId} was recorded by an earlier delivery; its validation was asked for again.", command.ImageId);
            return;
        }

        if (image.StatusCode == StatusCodes.Status404NotFound || (image.Succeeded && image.Value!.Status != "queued"))
        {
            // Assembled by an earlier delivery, or deleted meanwhile: the image takes no more bytes, nor its upload.
            logger.LogInformation("Assembly of image {ImageId} skipped: the image is gone or has its bytes already.", command.ImageId);
            await uploads.DiscardAsync(key, context.CancellationToken);
            return;
        }

        if (!image.Succeeded)
        {
            throw new InvalidOperationException($"The catalogue did not say where image {command.ImageId} stands ({image.StatusCode}): {image.Detail}");
        }

        var started = clock.GetTimestamp();
        StoredBlob blob;
        try
        {
            blob = await uploads.CompleteAsync(key, context.CancellationToken);
        }
        catch (UploadConflictException conflict)
        {
            // Another delivery is assembling it or has just done so; the image's status will say.
            logger.LogInformation("Assembly of image {ImageId} skipped: {Reason}", command.ImageId, conflict.Message);
            return;
        }

        var recorded = await ImageUploadCompletion.RecordAndPublishAsync(image.Value!, blob, command.UploadedBy, catalog, context, clock, context.CancellationToken);
        await uploads.DiscardAsync(key, context.CancellationToken); // recorded, or refused for good: the mark has done its work
        logger.LogInformation("Assembled the upload of image {ImageId}: {Bytes} bytes in {Seconds:0.0} s; {Outcome}", command.ImageId, blob.Length,
            clock.GetElapsedTime(started).TotalSeconds, recorded.Succeeded ? "validation started" : $"the catalogue refused it: {recorded.Detail}");
    }
}
