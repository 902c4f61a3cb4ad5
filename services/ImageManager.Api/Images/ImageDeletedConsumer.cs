using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using MassTransit;

namespace ImageManager.Api.Images;

/// <summary>
/// The Api owns the blob store's writes: when the catalogue lets an image go and no other image holds the same bytes,
/// the blob goes too. Deleting a blob that is already gone changes nothing, so a repeated event is harmless.
/// </summary>
public sealed class ImageDeletedConsumer(IBlobStore blobs, ILogger<ImageDeletedConsumer> logger) : IConsumer<ImageDeleted>
{
    public async Task Consume(ConsumeContext<ImageDeleted> context)
    {
        if (context.Message is { Sha256: { } sha256, BytesStillUsed: false })
        {
            await blobs.DeleteAsync(sha256, context.CancellationToken);
            logger.LogInformation("Image {ImageId} left the catalogue; its blob {Sha256} is deleted.", context.Message.ImageId, sha256);
        }
    }
}
