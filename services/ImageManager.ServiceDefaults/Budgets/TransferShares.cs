namespace ImageManager.ServiceDefaults.Budgets;

/// <summary>
/// This replica's part of the bandwidth budgets: every transfer in flight here (a push to a VIM, a pull served to one),
/// and, learnt from the reports of all replicas (<see cref="Learn"/>), how many run elsewhere. A VIM's cap is shared in
/// proportion to transfers: this replica's transfers to it get <c>cap × here ÷ (here + elsewhere)</c>, queued fairly on
/// one bucket; the central uplink's budget the same way over all transfers. Counts here are exact at once; those from
/// elsewhere are as old as the last report (about a second). A replica that learns the caps from its reports
/// (<c>learnsCaps</c>: the Api) holds a transfer to a VIM it has no cap for until the next report answers, at most
/// <see cref="MostWaitForCaps"/>: else a pull of a few MiB would be over, unpaced, before the cap is known.
/// </summary>
public sealed class TransferShares(bool learnsCaps = false) : IDisposable
{
    /// <summary>How long a transfer waits for its VIM's cap to be learnt before it goes anyway (the Distribution may be down).</summary>
    public static readonly TimeSpan MostWaitForCaps = TimeSpan.FromSeconds(3);

    /// <summary>The key of transfers to no VIM (an operator's download): they count only against the uplink.</summary>
    public const string NoVim = "";

    readonly Lock _gate = new();
    readonly Dictionary<string, VimShare> _vims = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _elsewhere = new(StringComparer.Ordinal);
    readonly Dictionary<string, long?> _caps = new(StringComparer.Ordinal);
    readonly PacedRate _uplink = new();
    readonly SemaphoreSlim _newVim = new(0);
    long? _uplinkBudget;
    int _uplinkElsewhere;
    int _here;

    /// <summary>Released when a transfer begins to a VIM that had none here: worth a report before the next tick.</summary>
    public SemaphoreSlim NewVim => _newVim;

    /// <summary>The central uplink's budget as last set or learnt; null: none.</summary>
    public long? UplinkBudget
    {
        get { lock (_gate) { return _uplinkBudget; } }
    }

    /// <summary>
    /// A transfer to <paramref name="vimId"/> (or <see cref="NoVim"/>) begins; <paramref name="cap"/> is the VIM's cap when
    /// this replica knows it (null: as learnt). Dispose the ticket when the transfer ends, however it ends.
    /// </summary>
    public TransferTicket Begin(string vimId, long? cap = null)
    {
        bool added;
        VimShare share;
        lock (_gate)
        {
            added = !_vims.TryGetValue(vimId, out var found);
            share = found ?? (_vims[vimId] = new VimShare());
            if (!learnsCaps || cap is not null)
            {
                share.Learnt.TrySetResult();
            }

            share.Here++;
            _here++;
            if (cap is not null)
            {
                _caps[vimId] = cap;
            }

            Reprice(vimId, share);
            RepriceUplink();
        }

        if (added)
        {
            _newVim.Release();
        }

        return new TransferTicket(this, vimId, share.Rate, _uplink, share.Learnt.Task);
    }

    /// <summary>Transfers in flight here, per VIM (<see cref="NoVim"/> for the rest): what this replica reports.</summary>
    public IReadOnlyDictionary<string, int> Here()
    {
        lock (_gate)
        {
            return _vims.ToDictionary(v => v.Key, v => v.Value.Here, StringComparer.Ordinal);
        }
    }

    /// <summary>The rates now: a VIM's share here (null: unpaced) and the uplink's; for tests and logs.</summary>
    public (long? Vim, long? Uplink) RatesOf(string vimId)
    {
        lock (_gate)
        {
            return (_vims.TryGetValue(vimId, out var share) ? share.Rate.BytesPerSecond : null, _uplink.BytesPerSecond);
        }
    }

    /// <summary>
    /// What the last report answered: the uplink's budget (null: none), transfers elsewhere (in all, and per VIM this
    /// replica has transfers to), and, when the reporter has no database, the caps of those VIMs.
    /// </summary>
    public void Learn(long? uplinkBudget, int uplinkElsewhere, IReadOnlyDictionary<string, int> elsewhere, IReadOnlyDictionary<string, long?>? caps = null)
    {
        lock (_gate)
        {
            _uplinkBudget = uplinkBudget;
            _uplinkElsewhere = Math.Max(0, uplinkElsewhere);
            _elsewhere.Clear();
            foreach (var (vimId, count) in elsewhere)
            {
                _elsewhere[vimId] = Math.Max(0, count);
            }

            foreach (var (vimId, cap) in caps ?? new Dictionary<string, long?>())
            {
                _caps[vimId] = cap;
            }

            foreach (var (vimId, share) in _vims)
            {
                Reprice(vimId, share);
                if (vimId == NoVim || caps is null || caps.ContainsKey(vimId))
                {
                    share.Learnt.TrySetResult();
                }
            }

            RepriceUplink();
        }
    }

    internal void End(string vimId)
    {
        lock (_gate)
        {
            _here--;
            if (_vims.TryGetValue(vimId, out var share) && --share.Here == 0)
            {
                _vims.Remove(vimId);
                _caps.Remove(vimId);
                share.Rate.Dispose();
            }
            else if (share is not null)
            {
                Reprice(vimId, share);
            }

            RepriceUplink();
        }
    }

    void Reprice(string vimId, VimShare share)
    {
        var cap = vimId == NoVim ? null : _caps.GetValueOrDefault(vimId);
        share.Rate.Set(cap is { } c ? Share(c, share.Here, _elsewhere.GetValueOrDefault(vimId)) : null);
    }

    void RepriceUplink() => _uplink.Set(_uplinkBudget is { } budget && _here > 0 ? Share(budget, _here, _uplinkElsewhere) : null);

    /// <summary><paramref name="budget"/> × here ÷ (here + elsewhere), in whole bytes, at least one.</summary>
    public static long Share(long budget, int here, int elsewhere) =>
        here <= 0 ? budget : Math.Max(1, (long)((double)budget * here / (here + Math.Max(0, elsewhere))));

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var share in _vims.Values)
            {
                share.Rate.Dispose();
            }

            _vims.Clear();
            _uplink.Dispose();
        }

        _newVim.Dispose();
    }

    sealed class VimShare
    {
        public int Here;
        public PacedRate Rate { get; } = new();

        /// <summary>Done once this VIM's cap (and the uplink's budget) are known here.</summary>
        public TaskCompletionSource Learnt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
