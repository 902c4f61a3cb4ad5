using System.Text.Json;
using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.BusAccess;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Takes the notifications the Api publishes (CloudEvents on the <c>imagemanager.notifications</c> topic exchange)
/// through this service's own durable queue, and records, in one transaction, the event and a pending delivery for each
/// subscription that may see it and wants it. The message is acknowledged after that commit, so none is lost; one handed
/// over twice is recorded once.
/// </summary>
public sealed partial class NotificationIntake(
    IOptions<RabbitMqOptions> broker,
    IOptions<WebhookOptions> options,
    IDbContextFactory<NotificationsDbContext> databases,
    DeliverySignal signal,
    TimeProvider clock,
    ILogger<NotificationIntake> logger) : BackgroundService
{
    public const string Exchange = "imagemanager.notifications";
    public const string Queue = "notifications.webhooks";
    const ushort Prefetch = 32;

    readonly string _publisher = BrokerUser.Of(broker.Value.Uri!);
    IConnection? _connection;

    /// <summary>Whether the queue is being consumed (the readiness check).</summary>
    public bool Consuming { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _connection = await new ConnectionFactory { Uri = broker.Value.Uri!, ClientProvidedName = "imagemanager-notifications-webhooks" }
                    .CreateConnectionAsync(stoppingToken);
                var channel = await _connection.CreateChannelAsync(cancellationToken: stoppingToken);
                await channel.BasicQosAsync(0, Prefetch, global: false, stoppingToken);
                await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: stoppingToken);
                await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
                {
                    // While this service is down, notifications wait no longer than deliveries are kept.
                    ["x-message-ttl"] = (long)options.Value.Retention.TotalMilliseconds,
                }, cancellationToken: stoppingToken);
                await channel.QueueBindAsync(Queue, Exchange, "#", cancellationToken: stoppingToken);

                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, message) => TakeAsync(channel, message, stoppingToken);
                await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, stoppingToken);
                Consuming = true;
                // The client recovers the connection, channel and consumer after a broker restart on its own.
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Consuming = false;
                LogConnectFailed(logger, e);
                await DisposeConnectionAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
            }
        }

        Consuming = false;
        await DisposeConnectionAsync();
    }

    async Task TakeAsync(IChannel channel, BasicDeliverEventArgs message, CancellationToken cancellationToken)
    {
        try
        {
            // Only the Api publishes notifications; the broker vouches for user_id, so a stranger's message is dropped.
            if (message.BasicProperties.UserId != _publisher)
            {
                LogStranger(logger, message.BasicProperties.UserId ?? "(none)");
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                return;
            }

            if (!TryRead(message.Body.Span, out var id, out var type, out var subject, out var tenant))
            {
                LogUnreadable(logger, message.RoutingKey);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                return;
            }

            if (await RecordAsync(id, type, subject, tenant, message.Body.ToArray(), cancellationToken) > 0)
            {
                signal.Notify();
            }

            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unacknowledged: the broker hands it over again.
        }
        catch (Exception) when (!channel.IsOpen)
        {
            // The broker went away (a restart): whatever was not acknowledged comes again on the recovered channel.
        }
        catch (Exception e)
        {
            LogRecordFailed(logger, e);
            // Back to the queue after a pause, so that a database outage does not spin.
            await Task.Delay(TimeSpan.FromSeconds(1), clock, CancellationToken.None);
            if (channel.IsOpen)
            {
                await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            }
        }
    }

    /// <summary>Records the event with a delivery per interested subscription; returns how many deliveries were made.</summary>
    async Task<int> RecordAsync(string id, string type, string? subject, string? tenant, byte[] body, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Subscriptions.AsNoTracking()
            .Where(s => s.AllTenants || (tenant != null && s.Tenant == tenant))
            .Select(s => new { s.Id, s.Events })
            .ToListAsync(cancellationToken);
        var interested = candidates.Where(s => EventFilter.Matches(s.Events, type)).ToList();
        // Asked only when someone wants it: with no subscriber, an event costs one query.
        if (interested.Count == 0 || await db.Events.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return 0; // nobody wants it, or it is recorded already (the broker handed it over again)
        }

        var now = clock.GetUtcNow();
        db.Events.Add(new RecordedEvent { Id = id, Type = type, Tenant = tenant, Body = body, RecordedAt = now });
        db.Deliveries.AddRange(interested.Select(s => new Delivery
        {
            Id = Guid.CreateVersion7(now),
            SubscriptionId = s.Id,
            EventId = id,
            EventType = type,
            EventSubject = subject,
            CreatedAt = now,
            NextAttemptAt = now,
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await using var again = await databases.CreateDbContextAsync(cancellationToken);
            if (await again.Events.AnyAsync(e => e.Id == id, cancellationToken))
            {
                return 0; // another replica recorded it meanwhile
            }

            throw;
        }

        return interested.Count;
    }

    static bool TryRead(ReadOnlySpan<byte> body, out string id, out string type, out string? subject, out string? tenant)
    {
        id = type = "";
        subject = tenant = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var idValue) || idValue.GetString() is not { Length: > 0 and <= 128 } eventId
                || !root.TryGetProperty("type", out var typeValue) || typeValue.GetString() is not { Length: > 0 and <= 128 } eventType)
            {
                return false;
            }

            id = eventId;
            type = eventType;
            tenant = root.TryGetProperty("tenant", out var tenantValue) && tenantValue.ValueKind == JsonValueKind.String ? tenantValue.GetString() : null;
            subject = root.TryGetProperty("subject", out var subjectValue) && subjectValue.ValueKind == JsonValueKind.String && subjectValue.GetString() is { Length: <= 128 } about ? about : null;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    async Task DisposeConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await DisposeConnectionAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot consume notifications from the broker; trying again")]
    static partial void LogConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a notification published by broker user {User}: only Image Manager's own user publishes notifications")]
    static partial void LogStranger(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped an unreadable notification (routing key {RoutingKey}): not a CloudEvent with an id and a type")]
    static partial void LogUnreadable(ILogger logger, string routingKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a notification failed; it goes back to the queue")]
    static partial void LogRecordFailed(ILogger logger, Exception exception);
}
