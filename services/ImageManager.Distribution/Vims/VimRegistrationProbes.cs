using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Probes the VIMs put in <see cref="VimProbeQueue"/>, a few at once, as soon as they come: a registration answers 201
/// at once and the VIM's health moves from <c>unknown</c> to what the probe found moments later. A VIM is claimed first
/// (<c>last_probe_at</c>), so the periodic probe of another replica does not probe it at the same moment.
/// </summary>
public sealed class VimRegistrationProbes(
    IDbContextFactory<DistributionDbContext> databases,
    VimProbeQueue queue,
    VimProber prober,
    TimeProvider clock,
    ILogger<VimRegistrationProbes> logger) : BackgroundService
{
    /// <summary>Probes at once per replica: most of a probe is waiting on a VIM, some on one that does not answer.</summary>
    const int Parallelism = 8;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(queue.ReadAllAsync(stoppingToken), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
            async (vimId, token) =>
            {
                try
                {
                    await ProbeAsync(vimId, token);
                }
                catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
                {
                    logger.LogWarning(exception, "The probe of VIM {VimId} did not complete; the periodic probe will try it.", vimId);
                }
            });

    /// <summary>Probes the VIM unless another probe claimed it within a probe's deadline; records what it found.</summary>
    public async Task ProbeAsync(string vimId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var claimedBefore = now - VimProber.Deadline;
        var claimed = await db.Vims.FromSql($"""
            UPDATE vims SET last_probe_at = {now}
            WHERE id = {vimId} AND (last_probe_at IS NULL OR last_probe_at <= {claimedBefore})
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        if (claimed is [var vim])
        {
            var finding = await prober.ProbeAsync(vim, cancellationToken);
            await VimProber.RecordAsync(db, vim, finding, cancellationToken);
            if (finding.Answered)
            {
                logger.LogDebug("VIM {VimId} probed: it answers.", vimId);
            }
            else
            {
                // One line per VIM that does not answer as registered; at ten thousand healthy ones, none.
                logger.LogInformation("VIM {VimId} probed: {Reason} ({Error}).", vimId, finding.Reason, finding.Error);
            }
        }
    }
}
