using ImageManager.Contracts.Images;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Images;

/// <summary>Keeps distribution's own record of every validated image.</summary>
public sealed class ImageValidatedConsumer(DistributionDbContext db) : IConsumer<ImageValidated>
{
    public async Task Consume(ConsumeContext<ImageValidated> context)
    {
        var message = context.Message;
        var image = await db.Images.FirstOrDefaultAsync(i => i.Id == message.ImageId, context.CancellationToken);
        if (image is null)
        {
            image = new DistributableImage { Id = message.ImageId, Name = message.Name, Version = message.Version, Kind = message.Kind, Sha256 = message.Sha256, Sha512 = message.Sha512 };
            db.Images.Add(image);
        }

        image.Name = message.Name;
        image.Version = message.Version;
        image.Kind = message.Kind;
        image.DetectedType = message.DetectedType;
        image.DiskFormat = message.DiskFormat;
        image.ContainerFormat = message.ContainerFormat;
        image.SizeBytes = message.SizeBytes;
        image.Sha256 = message.Sha256;
        image.Sha512 = message.Sha512;
        image.ValidatedAt = message.ValidatedAt;
        image.Owner = message.Owner;
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
