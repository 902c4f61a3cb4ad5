using System.Globalization;
using ImageManager.Testing;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The whole system on a RabbitMQ node of its own (the tests restart it; every other test keeps the shared one, and another
/// run of these tests has its own node), with virtual VIMs from the <see cref="VimSimulator.VimSimulator"/>, and retries and
/// the stall timeout short enough for a dead VIM to fail within a test.
/// </summary>
public sealed class FaultSystemFixture() : SimulatedFleetSystem("faults", RabbitMqBroker.Private($"faults-{Guid.NewGuid():N}"[..17]))
{
    /// <summary>Attempts per upload: the first and the retries below.</summary>
    public const int Attempts = 3;

    /// <summary>How long a VIM may keep a request without progress here (no byte taken, no answer): what a hanging VIM costs per attempt.</summary>
    public static TimeSpan StallTimeout { get; } = TimeSpan.FromSeconds(5);

    public ServiceProcess Distribution => Services["distribution"];

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Distribution__RetryIntervals__0"] = "00:00:01";
        settings["Distribution__RetryIntervals__1"] = "00:00:02";
        settings["Distribution__VimStallTimeout"] = StallTimeout.ToString("c", CultureInfo.InvariantCulture);
        settings["Distribution__UploadTimeout"] = "00:01:00";
        // Each failing VIM is to spend its own retries and fail; an open circuit would make its uploads wait instead.
        settings["Distribution__CircuitBreakerThreshold"] = "1000";
    }
}
