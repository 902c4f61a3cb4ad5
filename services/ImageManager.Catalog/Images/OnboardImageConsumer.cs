using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.BusAccess;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ImageManager.ServiceDefaults;

namespace ImageManager.Catalog.Images;

/// <summary>
/// SDC's onboarding: catalogue the image under the onboarding id (checked like <c>POST /images</c>), then have the Api
/// import its bytes from the source. A redelivered message finds its image and sends the import again only while
/// the image still waits for bytes.
/// </summary>
public sealed class OnboardImageConsumer(CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, ILogger<OnboardImageConsumer> logger) : IConsumer<OnboardImage>
{
    public async Task Consume(ConsumeContext<OnboardImage> context)
    {
        var message = context.Message;
        var now = clock.GetUtcNow();
        logger.LogInformation("Onboarding {OnboardingId} ({Name} {Version}) from {Source}", message.OnboardingId, message.Name, message.Version, message.SourceUri);
        var image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == message.OnboardingId, context.CancellationToken);
        if (image is null)
        {
            var request = new CreateImageRequest
            {
                Name = message.Name,
                Version = message.Version,
                Kind = message.Kind,
                Vendor = message.Vendor,
                Description = message.Description,
                DiskFormat = message.DiskFormat,
                ContainerFormat = message.ContainerFormat,
                Sha256 = message.Sha256,
                Sha512 = message.Sha512,
                // SDC's tenant, as configured for its broker user, owns what it onboards.
                Owner = context.TryGetPayload<BusCaller>(out var sender) ? sender.Tenant : null,
                Signature = message.Signature is { } signature
                    ? new ImageSignature { Value = signature.Value, HashMethod = signature.HashMethod, KeyType = signature.KeyType, Certificate = signature.CertificatePem }
                    : null,
            };
            var errors = CreateImageRequestValidator.Validate(request);
            if (errors.Count > 0)
            {
                await Answer(context, new ImageOnboardingRefused
                {
                    OnboardingId = message.OnboardingId,
                    Reason = string.Join(" ", errors.Values.SelectMany(v => v)),
                    RefusedAt = now,
                });
                return;
            }

            image = ImageRecords.New(message.OnboardingId, request, now);
            db.Images.Add(image);
            db.QueueEvent(ImageRecords.Catalogued(image), now);
            try
            {
                await db.SaveChangesAsync(context.CancellationToken);
                outbox.Notify();
            }
            catch (DbUpdateException)
            {
                // The unique index decides: a redelivered copy of this message catalogued it a moment ago (then it is
                // ours, found by id), or another image has this kind, name and version (then it is refused).
                db.ChangeTracker.Clear();
                image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == message.OnboardingId, context.CancellationToken);
                if (image is null)
                {
                    await Answer(context, new ImageOnboardingRefused
                    {
                        OnboardingId = message.OnboardingId,
                        Reason = await ImageNames.ClashAsync(db, message.Kind, message.Name, message.Version, request.Owner, ImageVisibilities.Private, message.OnboardingId, context.CancellationToken)
                            ?? $"A {message.Kind} named '{message.Name}' with version '{message.Version}' already exists.",
                        RefusedAt = now,
                    });
                    return;
                }
            }
        }

        if (image.Status == ImageStatuses.Queued)
        {
            var import = await context.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.ImportImage));
            await import.Send(new ImportImage { ImageId = image.Id, Uri = message.SourceUri, RequestedAt = now }, context.CancellationToken);
        }

        await Answer(context, new ImageOnboarded { OnboardingId = message.OnboardingId, ImageId = image.Id, AcceptedAt = now });
    }

    /// <summary>SDC may send a request and await the answer, or just listen for the event: both get it.</summary>
    static async Task Answer<T>(ConsumeContext context, T answer)
        where T : class
    {
        if (context.RequestId.HasValue && context.ResponseAddress is not null)
        {
            await context.RespondAsync(answer);
        }

        await context.Publish(answer);
    }
}
