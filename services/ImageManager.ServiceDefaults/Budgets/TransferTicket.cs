namespace ImageManager.ServiceDefaults.Budgets;

/// <summary>
/// One transfer in flight, counted in <see cref="TransferShares"/> until disposed: before each piece it sends, it waits
/// for its VIM's share and then the uplink's.
/// </summary>
public sealed class TransferTicket : IDisposable
{
    readonly TransferShares _shares;
    readonly string _vimId;
    readonly PacedRate _vim;
    readonly PacedRate _uplink;
    readonly Task _learnt;
    int _ended;

    internal TransferTicket(TransferShares shares, string vimId, PacedRate vim, PacedRate uplink, Task learnt) =>
        (_shares, _vimId, _vim, _uplink, _learnt) = (shares, vimId, vim, uplink, learnt);

    /// <summary>Waits until up to <paramref name="wanted"/> bytes may go; answers how many may (at least one).</summary>
    public async ValueTask<int> AcquireAsync(int wanted, CancellationToken cancellationToken)
    {
        if (!_learnt.IsCompleted)
        {
            try
            {
                await _learnt.WaitAsync(TransferShares.MostWaitForCaps, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Not learnt in time: unpaced until the reports come through, rather than a download that never starts.
            }
        }

        var granted = await _vim.AcquireAsync(wanted, cancellationToken);
        return await _uplink.AcquireAsync(granted, cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _shares.End(_vimId);
        }
    }
}
