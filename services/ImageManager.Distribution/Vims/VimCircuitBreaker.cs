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
    public Task RecordFailureAsync(DistributionDbContext db, string vimId, string error, CancellationToken cancellationToken) =>
        RecordFailureAsync(db, vimId, error, VimHealthReasons.Refused, cancellationToken);

    /// <summary>A failed call, with what it says of the VIM (<see cref="VimHealthReasons.Of"/>).</summary>
    public Task RecordFailureAsync(DistributionDbContext db, string vimId, Exception failure, CancellationToken cancellationToken) =>
        RecordFailureAsync(db, vimId, failure.Message, VimHealthReasons.Of(failure), cancellationToken);

    async Task RecordFailureAsync(DistributionDbContext db, string vimId, string error, string reason, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var truncated = OutsideText.Sanitise(error, MaxErrorLength);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE vims SET
                consecutive_failures = consecutive_failures + 1,
                last_error = {truncated},
                health_reason = {reason},
                circuit_open_until = CASE WHEN consecutive_failures + 1 >= {settings.CircuitBreakerThreshold}
                    THEN {clock.GetUtcNow()} + make_interval(secs => LEAST({settings.CircuitBreakerMaxOpen.TotalSeconds},
                        {settings.CircuitBreakerOpen.TotalSeconds} * power(2, LEAST(consecutive_failures + 1 - {settings.CircuitBreakerThreshold}, 20))))
                    ELSE circuit_open_until END
            WHERE id = {vimId}
            """, cancellationToken);
    }

    /// <summary>Whether a success of <paramref name="vim"/> (as last read) changes its row: a failure to forget, or its first answer.</summary>
    public static bool HasNewsIn(Vim vim) =>
        vim.ConsecutiveFailures != 0 || vim.CircuitOpenUntil is not null || vim.HealthReason is not null || vim.LastAnsweredAt is null;

    /// <summary>
    /// The VIMs answered at <paramref name="answeredAt"/>: their failures are forgotten and their circuits closed. Callers
    /// name only VIMs with news (<see cref="HasNewsIn"/>): at ten thousand healthy VIMs that have answered before this is
    /// no statement at all.
    /// </summary>
    public static async Task RecordSuccessAsync(DistributionDbContext db, IReadOnlyCollection<string> vimIds, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        if (vimIds.Count == 0)
        {
            return;
        }

        await db.Vims.Where(v => vimIds.Contains(v.Id)).ExecuteUpdateAsync(set => set
            .SetProperty(v => v.ConsecutiveFailures, 0)
            .SetProperty(v => v.CircuitOpenUntil, (DateTimeOffset?)null)
            .SetProperty(v => v.LastError, (string?)null)
            .SetProperty(v => v.HealthReason, (string?)null)
            .SetProperty(v => v.LastAnsweredAt, answeredAt), cancellationToken);
    }
}
