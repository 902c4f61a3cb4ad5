using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Probes the VIMs that have been failing, so that a circuit closes as soon as its VIM answers again (and the uploads
/// waiting on it go at their next wake-up), and the registry shows a current health. Healthy VIMs are not probed: at
/// ten thousand sites the uploads themselves are the probe.
/// </summary>
public sealed class VimHealthProbe(
    IDbContextFactory<DistributionDbContext> databases,
    IEnumerable<IVimDriver> drivers,
    VimConnector connector,
    IOptions<DistributionOptions> options,
    TimeProvider clock,
    ILogger<VimHealthProbe> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HealthProbeInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ProbeFailingAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
            {
                logger.LogWarning(exception, "Probing failing VIMs did not complete; trying again at the next interval.");
            }
        }
    }

    async Task ProbeFailingAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var failing = await db.Vims.AsNoTracking().Where(v => v.ConsecutiveFailures > 0).OrderBy(v => v.LastProbeAt).Take(100).ToListAsync(cancellationToken);
        await Parallel.ForEachAsync(failing, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (vim, token) =>
        {
            var driver = drivers.FirstOrDefault(d => d.VimType == vim.Type);
            if (driver is null)
            {
                return;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(TimeSpan.FromSeconds(15));
            await using var probeDb = await databases.CreateDbContextAsync(token);
            try
            {
                await driver.ProbeAsync(connector.Connect(vim), deadline.Token);
                await VimCircuitBreaker.RecordSuccessAsync(probeDb, vim, clock.GetUtcNow(), token);
                logger.LogInformation("VIM {VimId} answers again; its circuit is closed.", vim.Id);
            }
            catch (Exception exception) when (exception is VimTransientException or VimRejectedException || (exception is OperationCanceledException && !token.IsCancellationRequested))
            {
                var error = exception is OperationCanceledException ? "The VIM did not answer the probe within 15 s." : exception.Message;
                await probeDb.Vims.Where(v => v.Id == vim.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(v => v.LastProbeAt, clock.GetUtcNow())
                    .SetProperty(v => v.LastError, OutsideText.Sanitise(error, VimCircuitBreaker.MaxErrorLength)), token);
            }
        });
    }
}
