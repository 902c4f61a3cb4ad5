using System.Collections;
using ImageManager.Topology;

namespace ImageManager.AppHost;

/// <summary>
/// This checkout's installation, as <c>imagemanager.sh up</c> hands it over in the environment: the infrastructure
/// (<c>.local/infra/env</c>), the secrets it made under <c>.local/secrets/</c> (the key rings' certificate is made here, the
/// first time), and the operator's own settings.
/// </summary>
public static class LocalInstallation
{
    /// <summary>Variables an app host or .NET reads for itself, not settings for the services.</summary>
    static readonly string[] HostPrefixes = ["ASPIRE_", "DOTNET_", "ASPNETCORE_", "OTEL_"];

    public static TopologyOptions Options(IDictionary environment)
    {
        string Required(string name) => environment[name] as string is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: start the system with ./imagemanager.sh up, which sets it.");

        // `up --ha`: the clustered infrastructure (infra/infra.sh ha start), two processes of every service behind HAProxy.
        var highlyAvailable = environment["IMAGEMANAGER_HA"] as string == "1";
        string Infrastructure(string name) => Required(highlyAvailable ? name.Replace("IMAGEMANAGER_", "IMAGEMANAGER_HA_", StringComparison.Ordinal) : name);
        var replicas = Replicas(environment["IMAGEMANAGER_REPLICAS"] as string);
        if (highlyAvailable)
        {
            foreach (var service in new[] { "catalog", "distribution", "validation", "notifications", "api" })
            {
                replicas.TryAdd(service, 2);
            }
        }

        return new TopologyOptions
        {
            RabbitMqUri = Infrastructure("IMAGEMANAGER_RABBITMQ_URI"),
            RabbitMqNodes = highlyAvailable ? Required("IMAGEMANAGER_HA_RABBITMQ_NODES").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
            QuorumQueues = highlyAvailable,
            Balanced = highlyAvailable,
            // Shared object storage: the local Swift's S3 API (infra/infra.sh start), which any replica reads and writes.
            BlobsInS3 = highlyAvailable
                ? new BlobBucket(new Uri(Required("IMAGEMANAGER_S3_ENDPOINT")), Required("IMAGEMANAGER_S3_ACCESS_KEY"), Required("IMAGEMANAGER_S3_SECRET_KEY"), Required("IMAGEMANAGER_S3_BUCKET"))
                : null,
            MariaDb = Infrastructure("IMAGEMANAGER_MARIADB"),
            Postgres = Infrastructure("IMAGEMANAGER_POSTGRES"),
            // One clamd (infra/clamav.sh) serves the single-node and the highly available set alike.
            Clamd = environment["IMAGEMANAGER_CLAMD"] as string is { Length: > 0 } clamd ? clamd : null,
            // Two checkouts on one shared infrastructure keep their databases apart with a suffix of their own.
            DatabaseSuffix = environment["IMAGEMANAGER_DATABASE_SUFFIX"] as string ?? "",
            BlobRoot = Path.Combine(ServiceBuilds.Root, ".local", "blobs"),
            KeysDirectory = Path.Combine(ServiceBuilds.Root, ".local", "keys"),
            // Made empty on first start; the operator puts the vendors' certificate authorities (and their CRLs) there.
            TrustStore = Directory.CreateDirectory(Path.Combine(ServiceBuilds.Root, ".local", "trust")).FullName,
            ServiceToken = Required("IMAGEMANAGER_SERVICE_TOKEN"),
            // Made on first use and kept (keys encrypted to it are readable with it only); an operator's own
            // DataProtection__Certificate (among the settings below) stands instead.
            KeyRingCertificate = environment["DataProtection__Certificate"] is string { Length: > 0 }
                ? null
                : KeyRingCertificateFile.Ensure(Path.Combine(ServiceBuilds.Root, ".local", "secrets", KeyRingCertificateFile.FileName)),
            Replicas = replicas,
            // Not set when the operator configured the key (or its absence) as a setting of their own, which then stands.
            BootstrapAdminKey = environment["IMAGEMANAGER_BOOTSTRAP_ADMIN_KEY"] as string,
            // An operator's Section__Key settings in the environment reached every service before; they still do, and win.
            Settings = environment.Cast<DictionaryEntry>()
                .Select(entry => (Name: (string)entry.Key, Value: entry.Value as string ?? ""))
                .Where(entry => entry.Name.Contains("__", StringComparison.Ordinal)
                    && !HostPrefixes.Any(prefix => entry.Name.StartsWith(prefix, StringComparison.Ordinal)))
                .ToDictionary(entry => entry.Name, entry => entry.Value, StringComparer.Ordinal),
        };
    }

    /// <summary><c>api=2,validation=2</c>: processes per service (the others have one).</summary>
    static Dictionary<string, int> Replicas(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(
                pair => pair[0],
                pair => pair.Length == 2 && int.TryParse(pair[1], out var count) && count > 0
                    ? count
                    : throw new InvalidOperationException($"IMAGEMANAGER_REPLICAS: '{string.Join('=', pair)}' is not service=count."),
                StringComparer.Ordinal);
}
