using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Catalog.Images;

/// <summary>
/// Nothing lost between the catalogue and the broker: the Api records an upload here, then publishes
/// <see cref="ImageUploaded"/>; if that publish never happened (a crash, the broker away), the image would wait in
/// <c>validating</c> forever. This sweep publishes the event again, from what the catalogue recorded, for images
/// that have waited longer than <see cref="CatalogOptions.RevalidateAfter"/>. Validation is idempotent, and a
/// conditional update lets only one replica republish each image.
/// </summary>
public sealed class StalledValidationSweep(
    IServiceScopeFactory scopes,
    IBus bus,
    IOptions<CatalogOptions> options,
    TimeProvider clock,
    ILogger<StalledValidationSweep> logger) : BackgroundService
{
    const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "The sweep for stalled validations failed; it runs again in {Interval}.", options.Value.SweepInterval);
            }
        }
    }

    /// <summary>Republishes <see cref="ImageUploaded"/> for stalled images; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var now = clock.GetUtcNow();
        var before = now - options.Value.RevalidateAfter;
        var stalled = await db.Images.AsNoTracking()
            .Where(i => i.Status == ImageStatuses.Validating && i.UpdatedAt < before)
            .OrderBy(i => i.UpdatedAt)
            .Take(Batch)
            .ToListAsync(cancellationToken);

        var republished = 0;
        foreach (var image in stalled)
        {
            var claimed = await db.Images
                .Where(i => i.Id == image.Id && i.Status == ImageStatuses.Validating && i.UpdatedAt == image.UpdatedAt)
                .ExecuteUpdateAsync(set => set.SetProperty(i => i.UpdatedAt, now).SetProperty(i => i.Revision, i => i.Revision + 1), cancellationToken);
            if (claimed == 0 || image.Sha256 is null || image.SizeBytes is null)
            {
                continue; // another replica took it, or its verdict arrived meanwhile
            }

            logger.LogWarning("Image {ImageId} has been validating since {Since}; publishing ImageUploaded again.", image.Id, image.UpdatedAt);
            await bus.Publish(await ImageRecords.UploadedAsync(image, db, cancellationToken), cancellationToken);
            republished++;
        }

        return republished;
    }
}
