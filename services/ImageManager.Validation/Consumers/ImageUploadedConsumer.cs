using ImageManager.Contracts.Images;
using ImageManager.Validation.Checks;
using MassTransit;

namespace ImageManager.Validation.Consumers;

/// <summary>
/// Runs the checks on a freshly uploaded image and publishes the verdict. The checksums come first: when the bytes are
/// not the uploaded ones, what format they are says nothing. Then the signature (who vouches for the bytes), then the format.
/// </summary>
public sealed class ImageUploadedConsumer(ChecksumCheck checksums, SignatureCheck signatures, FormatCheck formats, TimeProvider clock)
    : IConsumer<ImageUploaded>
{
    public async Task Consume(ConsumeContext<ImageUploaded> context)
    {
        var upload = context.Message;
        var checksum = await checksums.RunAsync(upload, context.CancellationToken);
        if (!checksum.Passed)
        {
            await Reject(context, checksum.Reason!);
            return;
        }

        if (await signatures.FailureAsync(upload, context.CancellationToken) is { } unsigned)
        {
            await Reject(context, unsigned);
            return;
        }

        var format = formats.Run(upload);
        if (!format.Passed)
        {
            await Reject(context, format.Reason!);
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
            VirtualSizeBytes = format.Inspection?.VirtualSizeBytes,
            ValidatedAt = clock.GetUtcNow(),
        });
    }

    Task Reject(ConsumeContext<ImageUploaded> context, string reason) =>
        context.Publish(new ImageRejected { ImageId = context.Message.ImageId, Reason = reason, RejectedAt = clock.GetUtcNow() });
}
