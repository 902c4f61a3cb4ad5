using ImageManager.Topology;

namespace ImageManager.Testing;

/// <summary>
/// How a test fixture or the bench starts the declared system on the local infrastructure: free ports, a virtual host
/// and databases of its own, its key rings encrypted to a certificate of its own (the file <c>keyRingCertificate</c> names, a
/// <see cref="TestKeyRingCertificate"/>: kept apart from its data like an installation's configuration), and the per-caller limits lifted for the one client that drives it.
/// </summary>
public static class LocalTopology
{
    public static TopologyOptions Options(RabbitMqBroker broker, string databaseSuffix, string blobRoot, string serviceToken, string adminKey, string keyRingCertificate) => new()
    {
        KeyRingCertificate = keyRingCertificate,
        RabbitMqUri = broker.Uri.ToString(),
        MariaDb = Infrastructure.MariaDb,
        Postgres = Infrastructure.Postgres,
        Clamd = Infrastructure.Clamd,
        DatabaseSuffix = databaseSuffix,
        BlobRoot = blobRoot,
        // An empty trust store of its own (a fixture that verifies signatures names its authority's folder in its settings).
        TrustStore = Directory.CreateDirectory(blobRoot + "-trust").FullName,
        ServiceToken = serviceToken,
        BootstrapAdminKey = adminKey,
        FreePorts = true,
        LiftCallerLimits = true,
    };
}
