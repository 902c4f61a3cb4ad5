using ImageManager.Contracts.Images;
using ImageManager.Validation.Checks;
using MassTransit;

namespace ImageManager.Validation.Consumers;

/// <summary>Runs the checks on a freshly uploaded image and publishes the verdict.</summary>
public sealed class ImageUploadedConsumer(ChecksumCheck checksums, TimeProvider clock) : IConsumer<ImageUploaded>
{
    public async Task Consume(ConsumeContext<ImageUploaded> context)
    {
        var upload = context.Message;
        var verdict = await checksums.RunAsync(upload, context.CancellationToken);
        var now = clock.GetUtcNow();

        if (!verdict.Passed)
        {
            await context.Publish(new ImageRejected { ImageId = upload.ImageId, Reason = verdict.Reason!, RejectedAt = now });
            return;
        }

        await context.Publish(new ImageValidated
        {
            ImageId = upload.ImageId,
            Name = upload.Name,
            Version = upload.Version,
            Kind = upload.Kind,
            DiskFormat = upload.DiskFormat,
            ContainerFormat = upload.ContainerFormat,
            SizeBytes = upload.SizeBytes,
            Sha256 = upload.Sha256,
            Sha512 = upload.Sha512,
            ValidatedAt = now,
        });
    }
}
