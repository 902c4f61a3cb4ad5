using MassTransit;

namespace ImageManager.Distribution.Consumers;

/// <summary>A database hiccup (a failover, a dropped connection) is retried, not parked: progress must not be lost.</summary>
public sealed class TargetProgressConsumerDefinition : ConsumerDefinition<TargetProgressConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TargetProgressConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000, 15000));
    }
}
