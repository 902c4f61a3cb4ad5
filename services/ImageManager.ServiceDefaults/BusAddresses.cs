namespace ImageManager.ServiceDefaults;

/// <summary>Where the services send their commands.</summary>
public static class BusAddresses
{
    /// <summary>
    /// The exchange of the receive endpoint named <paramref name="queue"/>, which that endpoint binds to its queue when it
    /// starts. Not <c>queue:{name}</c>: for such an address MassTransit 8.5 declares the queue itself, always as a classic
    /// queue, and RabbitMQ 3.10 refuses that declaration once the queue is a quorum queue (<c>RabbitMq:QuorumQueues</c>).
    /// The receiving service declares its queue, of the right type; the declared start order has every service up before
    /// the Api takes a first request, so nothing is sent to an exchange no queue is bound to yet.
    /// </summary>
    public static Uri Endpoint(string queue) => new($"exchange:{queue}");
}
