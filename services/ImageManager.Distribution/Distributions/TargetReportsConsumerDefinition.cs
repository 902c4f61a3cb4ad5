using MassTransit;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// A few reports at once (each carries up to hundreds of changes, written in one statement). A database hiccup (a
/// failover, a dropped connection) is retried, not parked: progress must not be lost.
/// </summary>
public sealed class TargetReportsConsumerDefinition : ConsumerDefinition<TargetReportsConsumer>
{
    const int AtOnce = 4;

    public TargetReportsConsumerDefinition() => ConcurrentMessageLimit = AtOnce;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TargetReportsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = AtOnce * 2;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000, 15000));
    }
}
