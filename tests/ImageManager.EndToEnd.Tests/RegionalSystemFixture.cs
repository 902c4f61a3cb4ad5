using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// The whole system with a Distribution replica placed in each of <see cref="North"/> and <see cref="South"/>, declared
/// through <see cref="TopologyOptions.RegionalDistributions"/>; <see cref="West"/> has none. Short waits, so that a
/// handover to the central workers happens within a test.
/// </summary>
public class RegionalSystemFixture : ServiceSystem
{
    readonly bool _quorumQueues;

    public RegionalSystemFixture()
        : this("e2e-regional", quorumQueues: false)
    {
    }

    /// <summary>With <paramref name="quorumQueues"/>, every queue a quorum queue, as on a cluster (the regional ones dead-letter at least once).</summary>
    protected RegionalSystemFixture(string name, bool quorumQueues)
        : base(name, new RabbitMqBroker()) => _quorumQueues = quorumQueues;

    public const string North = "north";
    public const string South = "south";
    public const string West = "west";

    /// <summary>How long a regional queue keeps a command no worker took (<c>Distribution:RegionalHandoverAfter</c>).</summary>
    public static readonly TimeSpan HandoverAfter = TimeSpan.FromSeconds(3);

    /// <summary>The process of the Distribution replica placed in <paramref name="region"/>.</summary>
    public ServiceProcess RegionalWorker(string region) => Services[$"distribution-region-{region}"];

    protected override TopologyOptions Shape(TopologyOptions options) => options with { RegionalDistributions = [North, South], QuorumQueues = _quorumQueues };

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Distribution__RegionalHandoverAfter"] = HandoverAfter.ToString();
        // A killed worker's hold on its VIMs' upload slots ends within 10 s (the shortest allowed), not a minute.
        settings["Distribution__UploadSlotLease"] = "00:00:10";
        // Retries long enough for a VIM to let go of an upload the killed worker left half-sent (its image 'saving' meanwhile).
        settings["Distribution__RetryIntervals__0"] = "00:00:02";
        settings["Distribution__RetryIntervals__1"] = "00:00:04";
        settings["Distribution__RetryIntervals__2"] = "00:00:08";
        settings["Distribution__RetryIntervals__3"] = "00:00:08";
        settings["Distribution__CircuitBreakerThreshold"] = "1000";
        // A hub registered by a test is known to every replica at once, and its death within a second.
        settings["Hubs__DirectoryRefresh"] = "00:00:00";
        settings["Hubs__HealthRefresh"] = "00:00:01";
    }
}
