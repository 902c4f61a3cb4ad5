using System.Threading.Channels;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// VIMs to probe soon, in this replica (<see cref="VimRegistrationProbes"/>): new registrations and changed addresses, so
/// that their health is known without the caller waiting for it. Bounded; what does not fit is found by the periodic
/// probe instead (<see cref="VimHealthProbe"/>: a VIM that has not answered yet is due).
/// </summary>
public sealed class VimProbeQueue
{
    /// <summary>Room for the largest bulk registration and some.</summary>
    public const int Capacity = 20_000;

    readonly Channel<string> _vimIds = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<string> Reader => _vimIds.Reader;

    public void Enqueue(string vimId) => _vimIds.Writer.TryWrite(vimId);
}
