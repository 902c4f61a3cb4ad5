using ImageManager.Topology;

namespace ImageManager.Testing;

/// <summary>
/// How a test fixture or the bench starts the declared system on the local infrastructure: free ports, a virtual host
/// and databases of its own, and the per-caller limits lifted for the one client that drives it.
/// </summary>
public static class LocalTopology
{
    public static TopologyOptions Options(RabbitMqBroker broker, string databaseSuffix, string blobRoot, string serviceToken, string adminKey) => new()
    {
        RabbitMqUri = broker.Uri.ToString(),
        MariaDb = Infrastructure.MariaDb,
        Postgres = Infrastructure.Postgres,
        DatabaseSuffix = databaseSuffix,
        BlobRoot = blobRoot,
        ServiceToken = serviceToken,
        BootstrapAdminKey = adminKey,
        FreePorts = true,
        LiftCallerLimits = true,
    };
}
