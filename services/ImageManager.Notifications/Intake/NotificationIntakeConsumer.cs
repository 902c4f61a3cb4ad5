using MassTransit;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Takes the notifications the Api publishes (CloudEvents on the <c>imagemanager.notifications</c> topic exchange, one
/// per message or a batch of one type in CloudEvents' batched format) and records each with its pending deliveries,
/// together with those arriving at the same time (<see cref="NotificationGroupRecorder"/>). MassTransit acknowledges the
/// message only once this returns, after the commit of all its events, so none is lost. The bus's sender check has already
/// dropped (and logged) any whose AMQP <c>user_id</c> is not Image Manager's own: only the Api publishes notifications.
/// </summary>
public sealed partial class NotificationIntakeConsumer(NotificationGroupRecorder recorder, ILogger<NotificationIntakeConsumer> logger)
    : IConsumer<ReceivedCloudEvent>
{
    const int MaxTextLength = 128;

    public async Task Consume(ConsumeContext<ReceivedCloudEvent> context)
    {
        // A batch's events are recorded each as if it had come alone; the message is acknowledged once all of them are.
        var body = context.ReceiveContext.Body.GetBytes();
        var events = context.Message.IsBatch ? CloudEventBatch.Split(body) : [(context.Message, body)];
        var readable = new List<IncomingNotification>(events.Count);
        foreach (var (notification, bytes) in events)
        {
            if (notification is not { IsBatch: false, Id: { Length: > 0 and <= MaxTextLength } id, Type: { Length: > 0 and <= MaxTextLength } type })
            {
                LogUnreadable(logger, context.RoutingKey() ?? "(none)");
                continue;
            }

            // The body is stored as it came: what subscribers receive and what is signed.
            var subject = notification.Subject is { Length: <= MaxTextLength } about ? about : null;
            readable.Add(new IncomingNotification(id, type, subject, notification.Tenant, bytes));
        }

        try
        {
            await Task.WhenAll(readable.Select(notification => recorder.RecordAsync(notification, context.CancellationToken)));
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
