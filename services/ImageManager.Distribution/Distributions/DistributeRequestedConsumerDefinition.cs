using MassTransit;

namespace ImageManager.Distribution.Distributions;

public sealed class DistributeRequestedConsumerDefinition : ConsumerDefinition<DistributeRequestedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<DistributeRequestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // The catalogue unreachable for a while: the request waits for it rather than being refused.
        endpointConfigurator.UseMessageRetry(r => r.Exponential(8, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
        // The start is asked for only once the distribution is written.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
