using ImageManager.VimSimulator;

namespace ImageManager.Faults.Tests;

/// <summary>
/// A thousand healthy VIMs slow enough to keep a distribution going for a while (each request waits, the bytes trickle
/// in), so that a fault lands in the middle of it: some uploads with their bytes half sent, and, since every tenth VIM
/// fails its first request, some retries waiting in the durable scheduler.
/// </summary>
public static class SlowVims
{
    public const int Count = 1000;

    /// <summary>How far the distribution gets before the fault: part of the targets done, most of them not.</summary>
    public const double FaultAt = 0.3;

    static readonly SimulatedVimBehaviour Slow = new()
    {
        Latency = TimeSpan.FromMilliseconds(20),
        BandwidthBytesPerSecond = 256 * 1024,
    };

    static readonly SimulatedVimBehaviour SlowAndAwayAtFirst = Slow with { FailWith = Fault.Status(503), FailFirst = 1 };

    public static SimulatedVimBehaviour Behaviour(int index) => index % 10 == 0 ? SlowAndAwayAtFirst : Slow;
}
