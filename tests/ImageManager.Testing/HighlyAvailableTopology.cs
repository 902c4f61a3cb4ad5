using ImageManager.Topology;

namespace ImageManager.Testing;

/// <summary>
/// The highly available shape of the declared system on the clustered infrastructure of <c>infra/infra.sh ha start</c>
/// (read from <c>.local/infra/ha.env</c>): RabbitMQ's three nodes with quorum queues, Galera through HAProxy, PostgreSQL
/// under Patroni found by Npgsql's multi-host connection, two processes of every service behind HAProxy, and the blobs
/// in an S3 bucket on the local Swift (shared object storage: any replica reads what another wrote). The HA
/// fault test and the bench use it; <c>imagemanager.sh up --ha</c> declares the same (the app host's LocalInstallation).
/// </summary>
public static class HighlyAvailableTopology
{
    /// <summary>Processes per service.</summary>
    public const int Replicas = 2;

    public static TopologyOptions Apply(TopologyOptions options, string bucket) => options with
    {
        BlobsInS3 = new BlobBucket(Infrastructure.S3Endpoint, Infrastructure.S3AccessKey, Infrastructure.S3SecretKey, bucket),
        MariaDb = Infrastructure.Get("IMAGEMANAGER_HA_MARIADB"),
        Postgres = Infrastructure.Get("IMAGEMANAGER_HA_POSTGRES"),
        RabbitMqNodes = Infrastructure.Get("IMAGEMANAGER_HA_RABBITMQ_NODES").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        QuorumQueues = true,
        Balanced = true,
        Replicas = new[] { "catalog", "distribution", "validation", "notifications", "api" }.ToDictionary(service => service, _ => Replicas),
    };
}
