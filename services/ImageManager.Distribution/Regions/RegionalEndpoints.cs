using ImageManager.ServiceDefaults;
using MassTransit;

namespace ImageManager.Distribution.Regions;

/// <summary>How a regional replica declares its upload queue (see <see cref="RegionalQueues"/>).</summary>
public static class RegionalEndpoints
{
    /// <summary>
    /// Commands a regional worker holds unacknowledged beyond those it runs. A message delivered to a worker is not
    /// expired by the queue's TTL: taking them all at once keeps the region's work in the region while its worker
    /// lives, and gives it back the moment its connection dies (they return already expired, and go central).
    /// </summary>
    public const int Prefetch = 1000;

    public static void Configure(IReceiveEndpointConfigurator endpoint, string queue, DistributionOptions distribution, RabbitMqOptions rabbitMq)
    {
        if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            return; // the in-memory test harness: no broker topology to declare
        }

        var central = RegionalQueues.CentralOf(queue);
        rabbit.PrefetchCount = Prefetch;
        rabbit.ConfigureConsumeTopology = false; // commands are sent to this queue only, never published to it
        rabbit.SetExchangeArgument("alternate-exchange", central);
        rabbit.SetQueueArgument("x-message-ttl", (long)distribution.RegionalHandoverAfter.TotalMilliseconds);
        rabbit.SetQueueArgument("x-dead-letter-exchange", central);
        if (rabbitMq.QuorumQueues)
        {
            // At-least-once dead-lettering (RabbitMQ 3.10+, quorum queues only): a message leaves this queue only once the
            // central queue has confirmed it. It requires reject-publish on overflow (there is no length limit here).
            rabbit.SetQueueArgument("x-dead-letter-strategy", "at-least-once");
            rabbit.SetQueueArgument("x-overflow", "reject-publish");
        }
    }
}
