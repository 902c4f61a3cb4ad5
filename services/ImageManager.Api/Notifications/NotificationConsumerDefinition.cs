using MassTransit;

namespace ImageManager.Api.Notifications;

public sealed class NotificationConsumerDefinition : ConsumerDefinition<NotificationConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<NotificationConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        // A failed publish is the broker's (restarting, failing over) or a lookup's: try again rather than park the event,
        // long enough to ride out a broker restart.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 15000, 30000));
}
