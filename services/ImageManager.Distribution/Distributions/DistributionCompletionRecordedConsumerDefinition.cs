using MassTransit;

namespace ImageManager.Distribution.Distributions;

/// <summary>A database hiccup is retried, not parked: a completion must not be lost.</summary>
public sealed class DistributionCompletionRecordedConsumerDefinition : ConsumerDefinition<DistributionCompletionRecordedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<DistributionCompletionRecordedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000, 15000));
    }
}
