using MassTransit;

namespace ImageManager.Catalog.Locations;

/// <summary>Each message is already a batch of changes; a few are written at once, as the upsert is safe to run concurrently.</summary>
public sealed class VimImageStatesRecordedConsumerDefinition : ConsumerDefinition<VimImageStatesRecordedConsumer>
{
    public VimImageStatesRecordedConsumerDefinition() => ConcurrentMessageLimit = 4;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<VimImageStatesRecordedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 8;
    }
}
