using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Probes the VIMs that have been failing, so that a circuit closes as soon as its VIM answers again (and the uploads
/// waiting on it go at their next wake-up), and the registry shows a current health. Healthy VIMs are not probed: at
/// ten thousand sites the uploads themselves are the probe. Every replica runs one; a VIM is claimed before it is probed
/// (<c>last_probe_at</c> set with <c>FOR UPDATE SKIP LOCKED</c>), so it is probed once per interval, not once per replica.
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
                await ProbeDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
            {
                logger.LogWarning(exception, "Probing failing VIMs did not complete; trying again at the next interval.");
            }
        }
    }

    /// <summary>Probes the failing VIMs whose last probe is an interval old (a tenth of it spared for timers' drift), claimed first.</summary>
    public async Task ProbeDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var dueBefore = now - options.Value.HealthProbeInterval * 0.9;
        // The claim is the probe's time: another replica skips what this one locks now and finds it probed afterwards.
        var failing = await db.Vims.FromSql($"""
            UPDATE vims SET last_probe_at = {now}
            WHERE id IN (SELECT id FROM vims
                         WHERE consecutive_failures > 0 AND (last_probe_at IS NULL OR last_probe_at <= {dueBefore})
                         ORDER BY last_probe_at NULLS FIRST LIMIT 100
                         FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
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
