namespace ImageManager.Topology;

/// <summary>
/// The running system, declared once: which services exist, their projects and ports, the settings they get, how they
/// reach each other and the infrastructure, their databases and the order of the migrations. <c>imagemanager.sh up</c>
/// (through the AppHost), the test fixtures and the bench all start it from here; what differs between them is in
/// <see cref="TopologyOptions"/>. A service's own defaults stay in its <c>appsettings.json</c>.
/// </summary>
public static class SystemDeclaration
{
    public static DeclaredSystem Declare(TopologyOptions options)
    {
        // Start order: the owners of data first; the Notifications before the Api, so that its queue is bound to the
        // notification exchange before the Api publishes the first notification; the Api, the front door, last.
        // Each database's owner migrates it, in this order, before any service starts.
        var catalog = Service(options, "catalog", "ImageManager.Catalog", 5081, Database(options.MariaDb, "imagemanager_catalog", options));
        var distribution = Service(options, "distribution", "ImageManager.Distribution", 5082, PostgresDatabase("imagemanager_distribution", options));
        var validation = Service(options, "validation", "ImageManager.Validation", 5083);
        var notifications = Service(options, "notifications", "ImageManager.Notifications", 5084, PostgresDatabase("imagemanager_notifications", options));
        var api = Service(options, "api", "ImageManager.Api", 5080);
        DeclaredService[] services = [catalog, distribution, validation, notifications, api];

        var everyService = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOTNET_ENVIRONMENT"] = options.EnvironmentName,
            ["ASPNETCORE_ENVIRONMENT"] = options.EnvironmentName,
            ["RabbitMq__Uri"] = options.RabbitMqUri,
            ["RabbitMq__QuorumQueues"] = options.QuorumQueues ? "true" : "false",
            ["ConnectionStrings__Catalog"] = catalog.ConnectionString!,
            ["ConnectionStrings__Distribution"] = distribution.ConnectionString!,
            // The Notifications service's own database, on the same PostgreSQL as the Distribution's.
            ["ConnectionStrings__Notifications"] = notifications.ConnectionString!,
            ["BlobStore__Root"] = options.BlobRoot,
            ["DataProtection__KeysDirectory"] = options.KeysDirectory ?? options.BlobRoot + "-keys",
            ["Internal__ServiceToken"] = options.ServiceToken,
            // Everything here is on one machine, webhook subscribers included; a real installation leaves this off (see docs/notifications.md).
            ["Webhooks__AllowPrivateAddresses"] = "true",
            // So are the VIMs (local Glance, registries, Keystone, the simulator); a real installation names its VIMs'
            // private networks instead (Distribution:AllowedPrivateVimNetworks, see docs/vims.md).
            ["Distribution__AllowPrivateVimAddresses"] = "true",
            // Where web-download VIMs pull images from: the Api, as they reach it (here, the same machine).
            ["Distribution__ImageDownloadBaseUrl"] = api.Address.ToString(),
        };
        if (options.BlobsInS3 is { } bucket)
        {
            everyService["BlobStore__Kind"] = "s3";
            everyService["BlobStore__S3__ServiceUrl"] = bucket.ServiceUrl.ToString();
            everyService["BlobStore__S3__AccessKey"] = bucket.AccessKey;
            everyService["BlobStore__S3__SecretKey"] = bucket.SecretKey;
            everyService["BlobStore__S3__Bucket"] = bucket.Bucket;
        }

        // The Validation's trust store (certificate authorities and their revocation lists): a folder an operator fills.
        // Declaring writes nothing (it also renders other machines' units); whoever starts the system makes the folder.
        validation.Set("Signatures__TrustStore", options.TrustStore ?? options.BlobRoot + "-trust");

        for (var node = 0; node < options.RabbitMqNodes.Count; node++)
        {
            everyService[$"RabbitMq__Nodes__{node}"] = options.RabbitMqNodes[node];
        }

        foreach (var service in services)
        {
            service.Set(everyService).Set(options.Settings);
        }

        api.Set("Downstream__Catalog", catalog.Address.ToString())
            .Set("Downstream__Distribution", distribution.Address.ToString())
            .Set("Downstream__Notifications", notifications.Address.ToString());
        // Every upload is scanned for malware by clamd before it can become active.
        if (options.Clamd is not null)
        {
            validation.Set("Scanning__Clamd", options.Clamd);
        }

        // Distribution asks the Catalog whether a requester may see the image it is asked to distribute.
        distribution.Set("Downstream__Catalog", catalog.Address.ToString());
        // Only the owners of a key ring hold the certificate it is encrypted to.
        if (options.KeyRingCertificate is not null)
        {
            distribution.Set("DataProtection__Certificate", options.KeyRingCertificate);
            notifications.Set("DataProtection__Certificate", options.KeyRingCertificate);
        }

        if (options.BootstrapAdminKey is not null)
        {
            api.Set("Authentication__BootstrapAdminKey", options.BootstrapAdminKey);
        }

        if (options.LiftCallerLimits)
        {
            api.Set("Protection__PermitsPerSecond", "100000").Set("Protection__Burst", "100000");
        }

        foreach (var service in services)
        {
            service.Set(options.ServiceSettings.GetValueOrDefault(service.Name) ?? new Dictionary<string, string>());
        }

        return new DeclaredSystem([.. services.Take(2), .. RegionalDistributions(options, distribution), .. services.Skip(2)], options.Balanced);
    }

    /// <summary>Regional replicas of the Distribution: its settings and a region, no database of their own to migrate, never balanced.</summary>
    static IEnumerable<DeclaredService> RegionalDistributions(TopologyOptions options, DeclaredService distribution) =>
        options.RegionalDistributions.Select((region, index) =>
        {
            var name = $"distribution-region-{region}";
            var address = options.FreePorts ? LoopbackPorts.FreeAddress() : LoopbackPorts.Address(5180 + index);
            return new DeclaredService(name, distribution.Project, [address], connectionString: null)
                .Set(distribution.Settings)
                .Set("Distribution__Region", region)
                .Set(options.ServiceSettings.GetValueOrDefault(name) ?? new Dictionary<string, string>());
        });

    static string Database(string server, string name, TopologyOptions options) => ConnectionStrings.WithDatabase(server, name + options.DatabaseSuffix);

    /// <summary>
    /// At most 40 connections per process: two replicas each of the Distribution and the Notifications, the migrations and
    /// an operator's psql fit in PostgreSQL's 200. Past that, a request waits for a free connection instead of being refused.
    /// </summary>
    static string PostgresDatabase(string name, TopologyOptions options) =>
        ConnectionStrings.WithDefault(Database(options.Postgres, name, options), "Maximum Pool Size", "40");

    static DeclaredService Service(TopologyOptions options, string name, string project, int port, string? connectionString = null)
    {
        var replicas = options.Replicas.GetValueOrDefault(name, 1);
        // Balanced, the declared port is HAProxy's and the replicas move up one step.
        var first = options.Balanced ? 1 : 0;
        var addresses = Enumerable.Range(first, replicas)
            .Select(replica => options.FreePorts ? LoopbackPorts.FreeAddress() : LoopbackPorts.Address(port + (10 * replica)))
            .ToArray();
        var balanced = !options.Balanced ? null : options.FreePorts ? LoopbackPorts.FreeAddress() : LoopbackPorts.Address(port);
        return new DeclaredService(name, project, addresses, connectionString, balanced);
    }
}
