using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Asks a VIM, with its driver's one cheap authenticated call, whether it answers as the API it is registered as, and
/// records what was found on its row. Shared by the probe of a new registration, the periodic probe and
/// <c>POST /vims/{id}/probe</c>, so that all three say the same.
/// </summary>
public sealed class VimProber(IEnumerable<IVimDriver> drivers, VimConnector connector, TimeProvider clock)
{
    /// <summary>How long a probe waits for the VIM; no answer by then counts as unreachable.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public async Task<VimProbeFinding> ProbeAsync(Vim vim, CancellationToken cancellationToken)
    {
        var driver = drivers.First(d => d.VimType == vim.Type);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await driver.ProbeAsync(connector.Connect(vim), deadline.Token);
            return new VimProbeFinding(clock.GetUtcNow(), null, null);
        }
        catch (Exception exception) when (exception is VimTransientException or VimRejectedException or System.Text.Json.JsonException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var error = exception is OperationCanceledException ? $"The VIM did not answer the probe within {Deadline.TotalSeconds:0} s." : exception.Message;
            return new VimProbeFinding(clock.GetUtcNow(), VimHealthReasons.Of(exception), OutsideText.Sanitise(error, VimCircuitBreaker.MaxErrorLength));
        }
    }

    /// <summary>
    /// Records <paramref name="finding"/> on the VIM, if its registration is still the one probed (same
    /// <c>updated_at</c>): a probe of an address the VIM no longer has never speaks for the new one. An answer closes the
    /// circuit and clears the failures; a failure is recorded without counting towards the circuit (uploads count).
    /// </summary>
    public static async Task<bool> RecordAsync(DistributionDbContext db, Vim probed, VimProbeFinding finding, CancellationToken cancellationToken)
    {
        var same = db.Vims.Where(v => v.Id == probed.Id && v.UpdatedAt == probed.UpdatedAt);
        var rows = finding.Answered
            ? await same.ExecuteUpdateAsync(set => set
                .SetProperty(v => v.ConsecutiveFailures, 0)
                .SetProperty(v => v.CircuitOpenUntil, (DateTimeOffset?)null)
                .SetProperty(v => v.LastError, (string?)null)
                .SetProperty(v => v.HealthReason, (string?)null)
                .SetProperty(v => v.LastAnsweredAt, finding.At)
                .SetProperty(v => v.LastProbeAt, finding.At), cancellationToken)
            : await same.ExecuteUpdateAsync(set => set
                .SetProperty(v => v.LastProbeAt, finding.At)
                .SetProperty(v => v.LastError, finding.Error)
                .SetProperty(v => v.HealthReason, finding.Reason), cancellationToken);
        return rows > 0;
    }
}
