using MassTransit;

namespace ImageManager.Catalog.Consumers;

/// <summary>Location events in batches of up to 200 (or what arrived within 20 ms), two batches at a time.</summary>
public sealed class VimImageStateChangedConsumerDefinition : ConsumerDefinition<VimImageStateChangedConsumer>
{
    const int BatchSize = 200;

    public VimImageStateChangedConsumerDefinition() => ConcurrentMessageLimit = BatchSize * 2;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<VimImageStateChangedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = BatchSize * 2;
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(BatchSize).SetTimeLimit(TimeSpan.FromMilliseconds(20)).SetConcurrencyLimit(2));
    }
}
