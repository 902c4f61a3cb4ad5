using ImageManager.Topology;

namespace ImageManager.Testing;

/// <summary>
/// The highly available shape of the declared system on the clustered infrastructure of <c>infra/infra.sh ha start</c>
/// (read from <c>.local/infra/ha.env</c>): RabbitMQ's three nodes with quorum queues, Galera through HAProxy, PostgreSQL
/// under Patroni found by Npgsql's multi-host connection, and two processes of every service behind HAProxy. The HA
/// fault test and the bench use it; <c>imagemanager.sh up --ha</c> declares the same (the app host's LocalInstallation).
/// </summary>
public static class HighlyAvailableTopology
{
    /// <summary>Processes per service.</summary>
    public const int Replicas = 2;

    public static TopologyOptions Apply(TopologyOptions options) => options with
    {
        MariaDb = Infrastructure.Get("IMAGEMANAGER_HA_MARIADB"),
        Postgres = Infrastructure.Get("IMAGEMANAGER_HA_POSTGRES"),
        RabbitMqNodes = Infrastructure.Get("IMAGEMANAGER_HA_RABBITMQ_NODES").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        QuorumQueues = true,
        Balanced = true,
        Replicas = new[] { "catalog", "distribution", "validation", "notifications", "api" }.ToDictionary(service => service, _ => Replicas),
    };
}
