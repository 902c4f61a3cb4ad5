using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Counts a VIM's transient failures in a row on its row. At the threshold the circuit opens: uploads to the VIM wait
/// (without spending an attempt) until it closes, instead of each holding a worker for a connect timeout. Every failure
/// beyond the threshold doubles the open time; one success, or one good probe, closes it.
/// </summary>
public sealed class VimCircuitBreaker(IOptions<DistributionOptions> options, TimeProvider clock)
{
    public static bool IsOpen(Vim vim, DateTimeOffset now) => vim.CircuitOpenUntil > now;

    public async Task RecordFailureAsync(DistributionDbContext db, string vimId, string error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var failures = await db.Vims.Where(v => v.Id == vimId).Select(v => v.ConsecutiveFailures).FirstOrDefaultAsync(cancellationToken) + 1;
        DateTimeOffset? openUntil = null;
        if (failures >= settings.CircuitBreakerThreshold)
        {
            var doublings = Math.Min(failures - settings.CircuitBreakerThreshold, 20);
            openUntil = now + TimeSpan.FromTicks(Math.Min(settings.CircuitBreakerMaxOpen.Ticks, settings.CircuitBreakerOpen.Ticks << doublings));
        }

        var truncated = error.Length > 2000 ? error[..2000] : error;
        await db.Vims.Where(v => v.Id == vimId).ExecuteUpdateAsync(set => set
            .SetProperty(v => v.ConsecutiveFailures, v => v.ConsecutiveFailures + 1)
            .SetProperty(v => v.LastError, truncated)
            .SetProperty(v => v.CircuitOpenUntil, v => openUntil ?? v.CircuitOpenUntil), cancellationToken);
    }

    /// <summary>Writes only when there is something to clear: at ten thousand healthy VIMs this is no statement at all.</summary>
    public static async Task RecordSuccessAsync(DistributionDbContext db, Vim vim, DateTimeOffset? probedAt, CancellationToken cancellationToken)
    {
        if (vim.ConsecutiveFailures == 0 && vim.CircuitOpenUntil is null && probedAt is null)
        {
            return;
        }

        await db.Vims.Where(v => v.Id == vim.Id).ExecuteUpdateAsync(set => set
            .SetProperty(v => v.ConsecutiveFailures, 0)
            .SetProperty(v => v.CircuitOpenUntil, (DateTimeOffset?)null)
            .SetProperty(v => v.LastError, (string?)null)
            .SetProperty(v => v.LastProbeAt, v => probedAt ?? v.LastProbeAt), cancellationToken);
    }
}
