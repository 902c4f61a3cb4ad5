using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
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
    /// <summary>The room of a VIM's last error (vims.last_error).</summary>
    public const int MaxErrorLength = 2000;

    public static bool IsOpen(Vim vim, DateTimeOffset now) => vim.CircuitOpenUntil > now;

    /// <summary>
    /// One statement that reads and writes the count under the row's lock: failures recorded at the same moment by
    /// several uploads each count, and the one that reaches the threshold opens the circuit.
    /// </summary>
    public async Task RecordFailureAsync(DistributionDbContext db, string vimId, string error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var truncated = OutsideText.Sanitise(error, MaxErrorLength);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE vims SET
                consecutive_failures = consecutive_failures + 1,
                last_error = {truncated},
                circuit_open_until = CASE WHEN consecutive_failures + 1 >= {settings.CircuitBreakerThreshold}
                    THEN {clock.GetUtcNow()} + make_interval(secs => LEAST({settings.CircuitBreakerMaxOpen.TotalSeconds},
                        {settings.CircuitBreakerOpen.TotalSeconds} * power(2, LEAST(consecutive_failures + 1 - {settings.CircuitBreakerThreshold}, 20))))
                    ELSE circuit_open_until END
            WHERE id = {vimId}
            """, cancellationToken);
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
