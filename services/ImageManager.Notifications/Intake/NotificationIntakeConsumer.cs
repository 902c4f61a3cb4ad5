using MassTransit;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Takes the notifications the Api publishes (CloudEvents on the <c>imagemanager.notifications</c> topic exchange) and
/// records each with its pending deliveries, together with those arriving at the same time
/// (<see cref="NotificationGroupRecorder"/>). MassTransit acknowledges the message only once this returns, after the
/// commit, so none is lost. The bus's sender check has already dropped (and logged) any whose AMQP <c>user_id</c> is not
/// Image Manager's own: only the Api publishes notifications.
/// </summary>
public sealed partial class NotificationIntakeConsumer(NotificationGroupRecorder recorder, ILogger<NotificationIntakeConsumer> logger)
    : IConsumer<ReceivedCloudEvent>
{
    const int MaxTextLength = 128;

    public async Task Consume(ConsumeContext<ReceivedCloudEvent> context)
    {
        if (context.Message is not { Id: { Length: > 0 and <= MaxTextLength } id, Type: { Length: > 0 and <= MaxTextLength } type } notification)
        {
            LogUnreadable(logger, context.RoutingKey() ?? "(none)");
            return;
        }

        try
        {
            // The body is stored as it came: what subscribers receive and what is signed.
            var subject = notification.Subject is { Length: <= MaxTextLength } about ? about : null;
            await recorder.RecordAsync(new IncomingNotification(id, type, subject, notification.Tenant, context.ReceiveContext.Body.GetBytes()),
                context.CancellationToken);
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
        {
            // MassTransit says so only when its retries begin; a database outage is then told once a second, as it lasts.
            LogRecordFailed(logger, e);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped an unreadable notification (routing key {RoutingKey}): not a CloudEvent with an id and a type")]
    static partial void LogUnreadable(ILogger logger, string routingKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a notification failed; it stays unacknowledged and is tried again in a second")]
    static partial void LogRecordFailed(ILogger logger, Exception exception);
}
