using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// VIMs to probe soon, in this replica (<see cref="VimRegistrationProbes"/>): new registrations and changed addresses, so
/// that their health is known without the caller waiting for it. A VIM registered or changed by itself goes before those
/// of a bulk upsert or an import (<see cref="EnqueueBulk"/>): ten thousand of them take minutes to probe, and a caller
/// who registered one VIM expects its health in seconds. Bounded; what does not fit is found by the periodic probe
/// instead (<see cref="VimHealthProbe"/>: a VIM that has not answered yet is due).
/// </summary>
public sealed class VimProbeQueue
{
    /// <summary>Room for the largest bulk registration and some.</summary>
    public const int Capacity = 20_000;

    readonly Channel<string> _single = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly Channel<string> _bulk = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>A VIM registered or changed on its own: probed before any of a bulk.</summary>
    public void Enqueue(string vimId) => _single.Writer.TryWrite(vimId);

    /// <summary>A VIM of a bulk upsert or an import.</summary>
    public void EnqueueBulk(string vimId) => _bulk.Writer.TryWrite(vimId);

    /// <summary>What there is to probe, single VIMs first, waiting when there is nothing.</summary>
    public async IAsyncEnumerable<string> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_single.Reader.TryRead(out var vimId) || _bulk.Reader.TryRead(out vimId))
            {
                yield return vimId;
                continue;
            }

            // Both waits end together, so that no waiter is left behind on the quieter channel.
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(_single.Reader.WaitToReadAsync(wake.Token).AsTask(), _bulk.Reader.WaitToReadAsync(wake.Token).AsTask());
            await wake.CancelAsync();
        }
    }

    /// <summary>What is queued now, single VIMs first, without waiting.</summary>
    public IReadOnlyList<string> Drain()
    {
        var queued = new List<string>();
        while (_single.Reader.TryRead(out var vimId) || _bulk.Reader.TryRead(out vimId))
        {
            queued.Add(vimId);
        }

        return queued;
    }
}
