using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Catalog.Images;

/// <summary>
/// Announces the images whose end of life has passed (<see cref="ImageEndOfLife"/>), at start and every
/// <see cref="CatalogOptions.EndOfLifeSweepInterval"/>. Each announcement is recorded on the image with its event in the
/// outbox, in one save whose revision check lets only one replica win: the event goes out once.
/// </summary>
public sealed class EndOfLifeSweep(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IOptions<CatalogOptions> options,
    TimeProvider clock,
    ILogger<EndOfLifeSweep> logger) : BackgroundService
{
    const int Batch = 100;

    /// <summary>Bounds one sweep: a hundred thousand images reaching their end on one day take several sweeps, not one endless one.</summary>
    const int MaxBatches = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EndOfLifeSweepInterval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "The end-of-life sweep failed; it runs again in {Interval}.", options.Value.EndOfLifeSweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Announces every image past its end of life not announced yet; returns how many this replica announced.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var announced = 0;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var now = clock.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var due = await db.Images
                .Where(i => i.EndOfLifeAnnouncedAt == null && i.EndOfLife < today && (i.Status == ImageStatuses.Active || i.Status == ImageStatuses.Deactivated))
                .OrderBy(i => i.EndOfLife).ThenBy(i => i.Id)
                .Take(Batch)
                .ToListAsync(cancellationToken);
            foreach (var image in due)
            {
                // A change of the record (the revision moves, so a replica sweeping the same rows loses the race on save).
                image.Revision++;
                ImageEndOfLife.AnnounceIfReached(db, image, now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another replica (or an edit) changed one of these first; the next pass reads them again.
                continue;
            }

            announced += due.Count;
            if (due.Count > 0)
            {
                outbox.Notify();
            }

            if (due.Count < Batch)
            {
                break;
            }
        }

        return announced;
    }
}
