using ImageManager.Notifications.Webhooks;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// The intake's receive endpoint: its own durable queue, bound to the types some subscription wants by
/// <see cref="IntakeBindings"/> (not here: they change while the service runs), the
/// CloudEvents read as raw JSON (they carry no MassTransit envelope: their format is the subscribers'). The queue's name
/// and arguments are those the earlier, hand-rolled intake declared, so that RabbitMQ accepts the declaration of a queue
/// that already exists.
/// </summary>
public sealed class NotificationIntakeConsumerDefinition : ConsumerDefinition<NotificationIntakeConsumer>
{
    public const string Queue = "notifications.webhooks";
    /// <summary>Notifications being recorded at once: those in one transaction of <see cref="NotificationGroupRecorder"/> at most.</summary>
    const int InFlight = 100;

    readonly TimeSpan _retention;

    public NotificationIntakeConsumerDefinition(IOptions<WebhookOptions> options)
    {
        _retention = options.Value.Retention;
        Endpoint(endpoint =>
        {
            endpoint.Name = Queue;
            // Many at once, recorded together; the next ones are on their way while those are written.
            endpoint.PrefetchCount = InFlight * 2;
            endpoint.ConcurrentMessageLimit = InFlight;
            // No exchanges per message type: the bindings are those of the types subscriptions want (IntakeBindings).
            endpoint.ConfigureConsumeTopology = false;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<NotificationIntakeConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Their content types, application/cloudevents+json and application/cloudevents-batch+json, are none MassTransit
        // knows: the endpoint's default reads them (a batch's array too: see ReceivedCloudEventConverter).
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        // A database outage must not lose a notification: it stays unacknowledged and is tried again every second for as
        // long as it lasts (a shutdown meanwhile leaves it to the broker, which hands it over again).
        consumerConfigurator.UseMessageRetry(retry => retry.Incremental(int.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.Zero));
        // A body that is not JSON fails to deserialize: dropped once MassTransit has logged it
        // (R-FAULT), not moved to an error queue that nobody reads and anyone who may publish to the exchange could fill;
        // nobody listens for its fault event either. A JSON null is no message at all: dropped too.
        endpointConfigurator.PublishFaults = false;
        endpointConfigurator.DiscardFaultedMessages();
        endpointConfigurator.DiscardSkippedMessages();
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // While this service is down, notifications wait no longer than deliveries are kept.
            rabbit.SetQueueArgument("x-message-ttl", (long)_retention.TotalMilliseconds);
        }
    }
}
