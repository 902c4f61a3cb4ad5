using System.Globalization;
using ImageManager.Testing;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The whole system as it runs highly available, on the clustered infrastructure of <c>infra/infra.sh ha start</c>:
/// RabbitMQ's three nodes with quorum queues, Galera's three through HAProxy, PostgreSQL under Patroni found by Npgsql's
/// multi-host connection, two replicas of every service behind HAProxy (the one address users and services use), blobs in
/// an S3 bucket of its own on the local Swift, and virtual VIMs. Its databases and virtual host are its own, on those clusters.
/// </summary>
public sealed class HaSystemFixture() : SimulatedFleetSystem("ha", RabbitMqBroker.Cluster(), blobsInS3: true)
{
    protected override TopologyOptions Shape(TopologyOptions options) => HighlyAvailableTopology.Apply(options, Bucket!.Name);

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Distribution__RetryIntervals__0"] = "00:00:01";
        settings["Distribution__RetryIntervals__1"] = "00:00:02";
        settings["Distribution__RetryIntervals__2"] = "00:00:05";
        settings["Distribution__UploadTimeout"] = TimeSpan.FromMinutes(2).ToString("c", CultureInfo.InvariantCulture);
    }

    /// <summary>Kills a node of the clustered infrastructure with SIGKILL (<c>infra/infra.sh ha kill NODE</c>); returns what the script says.</summary>
    public static Task<string> KillNodeAsync(string node) => InfraScript.RunAsync("ha", "kill", node);

    /// <summary>Starts a killed node again and waits until it has rejoined its cluster (<c>infra/infra.sh ha start-node NODE</c>).</summary>
    public static Task<string> StartNodeAsync(string node) => InfraScript.RunAsync("ha", "start-node", node);
}
