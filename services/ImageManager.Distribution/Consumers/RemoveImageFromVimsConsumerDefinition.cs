using ImageManager.Contracts;
using ImageManager.Distribution.Drivers;
using MassTransit;

namespace ImageManager.Distribution.Consumers;

/// <summary>The command's own queue (named in the contracts), and retries for VIMs that are down for a while.</summary>
public sealed class RemoveImageFromVimsConsumerDefinition : ConsumerDefinition<RemoveImageFromVimsConsumer>
{
    public RemoveImageFromVimsConsumerDefinition() => EndpointName = CommandQueues.RemoveImageFromVims;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RemoveImageFromVimsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseScheduledRedelivery(r => r.Intervals(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)));
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<VimTransientException>();
            r.Intervals(500, 2000, 5000);
        });
    }
}
