using ImageManager.Api.Downstream;
using ImageManager.Api.Images;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Imports;

/// <summary>
/// <c>web-download</c>: streams the source into the blob store (hashing as it goes, like an upload), then records and
/// publishes as an upload does. A failure leaves the image <c>queued</c> and publishes <see cref="ImageImportFailed"/>
/// with a reason for the person who asked.
/// </summary>
public sealed class ImportImageConsumer(
    WebDownloader downloader,
    IBlobStore blobs,
    CatalogClient catalog,
    IOptions<ImportOptions> options,
    TimeProvider clock,
    ILogger<ImportImageConsumer> logger) : IConsumer<ImportImage>
{
    public async Task Consume(ConsumeContext<ImportImage> context)
    {
        var command = context.Message;
        var image = await catalog.GetImageAsync(command.ImageId, context.CancellationToken);
        if (!image.Succeeded || image.Value!.Status != "queued")
        {
            logger.LogInformation("Import of image {ImageId} skipped: the image is gone or has its bytes already.", command.ImageId);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        string? failure;
        try
        {
            using var response = await downloader.OpenAsync(command.Uri, timeout.Token);
            await using var body = new SizeLimitedStream(await response.Content.ReadAsStreamAsync(timeout.Token), options.Value.MaxBytes);
            var blob = await blobs.PutAsync(body, timeout.Token);
            if (blob.Length == 0)
            {
                failure = $"{command.Uri} answered with no bytes.";
            }
            else
            {
                var recorded = await ImageUploadCompletion.RecordAndPublishAsync(image.Value, blob, $"web-download {context.Message.Uri.GetLeftPart(UriPartial.Authority)}", catalog, context, clock, context.CancellationToken);
                failure = recorded.Succeeded ? null : $"The image could not take the imported bytes: {recorded.Detail}";
            }
        }
        catch (ImportRefusedException refused)
        {
            failure = refused.Message;
        }
        catch (HttpRequestException exception)
        {
            failure = $"{command.Uri} could not be reached: {exception.Message}";
        }
        catch (IOException exception)
        {
            failure = $"The download from {command.Uri} broke off: {exception.Message}";
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            failure = $"The download from {command.Uri} took longer than {options.Value.Timeout}.";
        }

        if (failure is not null)
        {
            // It quotes the source's URL (a vendor's link may be signed) and what the source said.
            failure = OutsideText.Sanitise(failure, 2000);
            logger.LogWarning("Import of image {ImageId} failed: {Reason}", command.ImageId, failure);
            await context.Publish(new ImageImportFailed { ImageId = command.ImageId, Uri = command.Uri, Reason = failure, FailedAt = clock.GetUtcNow() });
        }
    }
}
