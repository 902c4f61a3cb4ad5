using MassTransit;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Events are taken in batches (up to 200, or whatever arrived within 20 ms): ten thousand targets' progress is then a
/// few hundred statements, not thirty thousand. A database hiccup (a failover, a dropped connection) is retried, not
/// parked: progress must not be lost.
/// </summary>
public sealed class TargetProgressConsumerDefinition : ConsumerDefinition<TargetProgressConsumer>
{
    const int BatchSize = 200;

    public TargetProgressConsumerDefinition() => ConcurrentMessageLimit = BatchSize * 2;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TargetProgressConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = BatchSize * 2;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000, 15000));
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(BatchSize).SetTimeLimit(TimeSpan.FromMilliseconds(20)).SetConcurrencyLimit(2));
    }
}
