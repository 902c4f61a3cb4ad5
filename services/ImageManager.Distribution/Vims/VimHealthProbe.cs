using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Probes the VIMs that have been failing, so that a circuit closes as soon as its VIM answers again (and the uploads
/// waiting on it go at their next wake-up), and the registry shows a current health; and the VIMs that have not answered
/// yet (their registration's probe was lost with its replica, or did not fit its queue), so that none stays unknown.
/// Healthy VIMs are not probed: at ten thousand sites the uploads themselves are the probe. Every replica runs one; a
/// VIM is claimed before it is probed (<c>last_probe_at</c> set with <c>FOR UPDATE SKIP LOCKED</c>), so it is probed
/// once per interval, not once per replica.
/// </summary>
public sealed class VimHealthProbe(
    IDbContextFactory<DistributionDbContext> databases,
    VimProber prober,
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

    /// <summary>Probes the failing or unknown VIMs whose last probe is an interval old (a tenth of it spared for timers' drift), claimed first.</summary>
    public async Task ProbeDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var dueBefore = now - options.Value.HealthProbeInterval * 0.9;
        // The claim is the probe's time: another replica skips what this one locks now and finds it probed afterwards.
        var failing = await db.Vims.FromSql($"""
            UPDATE vims SET last_probe_at = {now}
            WHERE id IN (SELECT id FROM vims
                         WHERE (consecutive_failures > 0 OR health_reason IS NOT NULL OR last_answered_at IS NULL)
                           AND (last_probe_at IS NULL OR last_probe_at <= {dueBefore})
                         ORDER BY last_probe_at NULLS FIRST LIMIT 100
                         FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        await Parallel.ForEachAsync(failing, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (vim, token) =>
        {
            await using var probeDb = await databases.CreateDbContextAsync(token);
            var finding = await prober.ProbeAsync(vim, token);
            if (await VimProber.RecordAsync(probeDb, vim, finding, token) && finding.Answered && vim.ConsecutiveFailures > 0)
            {
                logger.LogInformation("VIM {VimId} answers again; its circuit is closed.", vim.Id);
            }
        });
    }
}
