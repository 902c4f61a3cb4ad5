using ImageManager.Contracts.Images;
using ImageManager.Validation.Packages;
using ImageManager.Validation.Scanning;
using MassTransit;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Runs the checks on a freshly uploaded image and publishes the verdict. The checksums come first: when the bytes are
/// not the uploaded ones, what format they are says nothing. The malware scan reads the same bytes meanwhile
/// and counts next (clamd unavailable while scanning is required throws, and the upload is tried again:
/// <see cref="ImageUploadedConsumerDefinition"/>). Then the signature (who vouches for the bytes), then the
/// check of the image's kind: the disk format of a VM image, the archives of a software package, the manifests and
/// layers of a container image (a CSAR's SOL004 signature among the package's). A CSAR's disk images are announced
/// (<see cref="PackageImageExtracted"/>, with the package's signer) before the package's own verdict; the signer whose
/// signature was verified goes out in <see cref="ImageValidated.SignedBy"/>.
/// </summary>
public sealed class ImageUploadedConsumer(
    ChecksumCheck checksums,
    MalwareCheck malware,
    SignatureCheck signatures,
    FormatCheck formats,
    PackageCheck packages,
    ContainerImageCheck containers,
    TimeProvider clock,
    ILogger<ImageUploadedConsumer> logger) : IConsumer<ImageUploaded>
{
    const int LoggedLayers = 5;

    public async Task Consume(ConsumeContext<ImageUploaded> context)
    {
        var upload = context.Message;
        var started = clock.GetTimestamp();
        ChecksumVerdict checksum;
        MalwareVerdict scan;
        using (var scanStop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken))
        {
            // The scan reads the blob beside the checksums (another core, the same cached pages), which would cost as
            // long again one after the other; its verdict counts only once the checksums have tied the bytes to the upload.
            var scanning = malware.RunAsync(upload, scanStop.Token);
            try
            {
                checksum = await checksums.RunAsync(upload, context.CancellationToken);
            }
            catch
            {
                await StopAsync(scanning, scanStop);
                throw;
            }

            if (!checksum.Passed)
            {
                await StopAsync(scanning, scanStop);
                await Reject(context, checksum.Reason!);
                return;
            }

            scan = await scanning;
        }

        if (!scan.Passed)
        {
            await Reject(context, scan.Reason!);
            return;
        }

        var signature = await signatures.VerifyAsync(upload, checksum.Sha512!, context.CancellationToken);
        if (signature.Failure is { } unsigned)
        {
            await Reject(context, unsigned);
            return;
        }

        var content = await InspectContentAsync(upload, signature.Signer, context.CancellationToken);
        if (content.Reason is { } refused)
        {
            await Reject(context, refused);
            return;
        }

        foreach (var image in content.ExtractedImages)
        {
            await context.Publish(new PackageImageExtracted
            {
                PackageId = upload.ImageId,
                ImageId = PackageImageIds.For(upload.ImageId, image.Source.Path),
                PathInPackage = image.Source.Path,
                DiskFormat = image.DiskFormat,
                SizeBytes = image.Blob.Length,
                Sha256 = image.Blob.Sha256,
                Sha512 = image.Source.Sha512,
                VirtualSizeBytes = image.VirtualSizeBytes,
                ManifestAlgorithm = image.Source.ManifestAlgorithm,
                ManifestHash = image.Source.ManifestHash,
                ExtractedAt = clock.GetUtcNow(),
                SignedBy = content.Signer ?? signature.Signer,
            });
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
            Sha512 = checksum.Sha512!,
            VirtualSizeBytes = content.VirtualSizeBytes,
            DetectedType = content.DetectedType,
            MalwareScan = scan.Scan,
            SignedBy = content.Signer ?? signature.Signer,
            Owner = upload.Owner,
            ValidatedAt = clock.GetUtcNow(),
        });
        logger.LogInformation("Image {ImageId} validated: {Bytes} bytes, {DetectedType}, malware scan {MalwareScan}, in {Seconds:0.0} s",
            upload.ImageId, upload.SizeBytes, content.DetectedType, scan.Scan, clock.GetElapsedTime(started).TotalSeconds);
    }

    async Task<ContentVerdict> InspectContentAsync(ImageUploaded upload, ImageSigner? signer, CancellationToken cancellationToken)
    {
        switch (upload.Kind)
        {
            case ImageKinds.VmImage:
                var format = await formats.RunAsync(upload, cancellationToken);
                return new ContentVerdict(format.Reason, format.Inspection?.Format, format.Inspection?.VirtualSizeBytes);
            case ImageKinds.SoftwarePackage:
                var package = await packages.RunAsync(upload, signer, cancellationToken);
                return new ContentVerdict(package.Reason, package.DetectedType, null, package.ExtractedImages) { Signer = package.Signer };
            case ImageKinds.ContainerImage:
                var image = await containers.RunAsync(upload, cancellationToken);
                if (image.Passed)
                {
                    // The digests a later push to a registry uses; the bytes stay in the blob store under the image's sha256.
                    logger.LogInformation(
                        "Container image {ImageId} ({Layout}, blob {Sha256}) verified: manifests {Manifests}; {LayerCount} layers {Layers}",
                        upload.ImageId, image.Layout, upload.Sha256, string.Join(", ", image.ManifestDigests), image.LayerDigests.Count,
                        string.Join(", ", image.LayerDigests.Take(LoggedLayers)) + (image.LayerDigests.Count > LoggedLayers ? ", …" : ""));
                }

                return new ContentVerdict(image.Reason, image.Layout, null);
            default:
                return new ContentVerdict(
                    $"The kind '{upload.Kind}' is none that Validation checks ({ImageKinds.VmImage}, {ImageKinds.ContainerImage}, {ImageKinds.SoftwarePackage}), so nothing vouches for its bytes.",
                    null,
                    null);
        }
    }

    /// <summary>Stops a scan whose verdict no longer matters (the checksums failed) and waits for it, whatever it ends with.</summary>
    static async Task StopAsync(Task<MalwareVerdict> scanning, CancellationTokenSource scanStop)
    {
        await scanStop.CancelAsync();
        await Task.WhenAny(scanning);
        _ = scanning.Exception; // observed: a cancelled or failed scan is expected here
    }

    async Task Reject(ConsumeContext<ImageUploaded> context, string reason)
    {
        await context.Publish(new ImageRejected { ImageId = context.Message.ImageId, Reason = reason, RejectedAt = clock.GetUtcNow() });
        logger.LogInformation("Image {ImageId} rejected: {Reason}", context.Message.ImageId, reason);
    }
}
