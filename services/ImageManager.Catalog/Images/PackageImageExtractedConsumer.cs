using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>
/// Catalogues a disk image taken out of a package as a VM image of its own, linked to the package, with the manifest's
/// hash as its declared checksum; then has it validated like any upload. A redelivered message finds the image by its
/// id and only publishes again while the image still waits for its verdict.
/// </summary>
public sealed class PackageImageExtractedConsumer(CatalogDbContext db, OutboxSignal outbox, ILogger<PackageImageExtractedConsumer> logger) : IConsumer<PackageImageExtracted>
{
    public async Task Consume(ConsumeContext<PackageImageExtracted> context)
    {
        var message = context.Message;
        var image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == message.ImageId, context.CancellationToken);
        if (image is null)
        {
            var package = await db.Images.AsNoTracking().Include(i => i.Shares).FirstOrDefaultAsync(i => i.Id == message.PackageId, context.CancellationToken);
            if (package is null)
            {
                logger.LogWarning("Package {PackageId} is gone from the catalogue; its image {Path} is not catalogued.", message.PackageId, message.PathInPackage);
                return;
            }

            image = await AddAsync(PackageImageRecords.New(message, package), context.CancellationToken)
                ?? await AddAsync(PackageImageRecords.New(message, package, disambiguate: true), context.CancellationToken)
                ?? throw new InvalidOperationException($"Image {message.ImageId} from package {message.PackageId} could not be catalogued.");
            logger.LogInformation("Catalogued {ImageId} ({Name} {Version}) from package {PackageId}", image.Id, image.Name, image.Version, package.Id);
        }

        if (image.Status == ImageStatuses.Validating)
        {
            // The package's signer, as Validation reported it, goes back with the image: Validation reports it as the image's.
            await context.Publish(await ImageRecords.UploadedAsync(image, db, context.CancellationToken) with { PackageSignedBy = message.SignedBy });
        }
    }

    /// <summary>
    /// Adds the record; returns what the catalogue holds under its id afterwards, or null when another image already
    /// has its kind, name and version.
    /// </summary>
    async Task<CatalogImage?> AddAsync(CatalogImage image, CancellationToken cancellationToken)
    {
        db.Images.Add(image);
        db.QueueEvent(ImageRecords.Catalogued(image), image.CreatedAt);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            outbox.Notify();
            return image;
        }
        catch (DbUpdateException)
        {
            // A redelivered copy of this message catalogued it a moment ago, or the name is taken.
            db.ChangeTracker.Clear();
            return await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == image.Id, cancellationToken);
        }
    }
}
