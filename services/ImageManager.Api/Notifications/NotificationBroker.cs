using System.Buffers;
using System.Text;
using System.Text.Json;
using ImageManager.Contracts;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.BusAccess;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace ImageManager.Api.Notifications;

/// <summary>
/// Subscribers' messages, kept by RabbitMQ: each notification goes to a topic exchange with the routing key
/// <c>{topic}.{tenant}</c>; each consumer group is a durable queue bound to it (to its tenant's key, or to every key for
/// an operator), so every group gets every message once, the consumers of a group share them, and they wait while no
/// one polls, as long as <see cref="NotificationOptions.Retention"/> and <see cref="NotificationOptions.MaxWaitingPerGroup"/>
/// allow. The Api keeps nothing itself: any replica answers any poll.
/// </summary>
public sealed class NotificationBroker(IOptions<RabbitMqOptions> broker, IOptions<NotificationOptions> options, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>The routing key word of notifications that belong to no tenant: operators' groups only get them.</summary>
    const string NoTenant = "_";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    readonly string _user = BrokerUser.Of(broker.Value.Uri!);
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly BrokerConnection _connection = new(broker, "imagemanager-api-notifications");
    IChannel? _publisher;

    /// <summary>Returns once the broker has confirmed the message as stored (persistent, in every bound queue).</summary>
    public Task PublishAsync(string topic, CloudEvent notification, CancellationToken cancellationToken) =>
        PublishAllAsync(topic, [notification], cancellationToken);

    /// <summary>
    /// Returns once the broker has confirmed every message as stored. They are all sent before the first confirm is awaited:
    /// the broker confirms them together (one disk write for many), where one at a time each waited for a write of its own.
    /// Notifications of one type for one tenant travel together, up to <see cref="NotificationRouting.MostPerBatch"/> in one
    /// message of CloudEvents' batched format: ten thousand targets' final states are some fifty messages to store in each
    /// bound queue, not ten thousand. A notification alone is a message of its own, as ever.
    /// </summary>
    public Task PublishAllAsync(string topic, IReadOnlyList<CloudEvent> notifications, CancellationToken cancellationToken) =>
        PublishConfirmedAsync(notifications
            .GroupBy(notification => (notification.Type, notification.Tenant))
            .SelectMany(alike => alike.Chunk(NotificationRouting.MostPerBatch))
            .Select(together => together is [var alone]
                ? new OutgoingMessage(NotificationRouting.Exchange, RoutingKey(topic, alone), Properties(NotificationRouting.EventContentType, alone.Id, alone.Type),
                    JsonSerializer.SerializeToUtf8Bytes(alone, Json))
                : new OutgoingMessage(NotificationRouting.Exchange, RoutingKey(topic, together[0]),
                    Properties(NotificationRouting.BatchContentType, NotificationIds.Of("batch|" + string.Join("|", together.Select(n => n.Id))).ToString(), together[0].Type),
                    BatchBody(together.Select(notification => (ReadOnlyMemory<byte>)JsonSerializer.SerializeToUtf8Bytes(notification, Json)))))
            .ToList(), cancellationToken);

    async Task PublishConfirmedAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _publisher ??= await OpenChannelAsync(confirm: true, cancellationToken);
            var publisher = _publisher;
            await Task.WhenAll(messages.Select(message =>
                publisher.BasicPublishAsync(message.Exchange, message.RoutingKey, mandatory: false, message.Properties, message.Body, cancellationToken).AsTask()));
        }
        catch (Exception) when (_publisher is { IsOpen: false } closed)
        {
            // A channel the broker closed stays closed: the next publish opens another.
            _publisher = null;
            await closed.DisposeAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    static string RoutingKey(string topic, CloudEvent notification) => $"{topic}.{notification.Tenant ?? NoTenant}";

    BasicProperties Properties(string contentType, string messageId, string type) => new()
    {
        Persistent = true,
        ContentType = contentType,
        MessageId = messageId,
        UserId = _user,
        // The intake's bindings pick by type: a batch's events all have the one it names.
        Headers = new Dictionary<string, object?> { [NotificationRouting.TypeHeader] = type },
    };

    /// <summary>A JSON array of the events, each byte for byte as it is alone.</summary>
    static byte[] BatchBody(IEnumerable<ReadOnlyMemory<byte>> events)
    {
        var body = new ArrayBufferWriter<byte>();
        body.Write("["u8);
        var first = true;
        foreach (var notification in events)
        {
            if (!first)
            {
                body.Write(","u8);
            }

            body.Write(notification.Span);
            first = false;
        }

        body.Write("]"u8);
        return body.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Up to <paramref name="limit"/> messages of <paramref name="topic"/> for <paramref name="consumerGroup"/>, waiting up
    /// to <paramref name="timeout"/> for a first one. A group is made (from now on) by its first poll. The messages are
    /// acknowledged by <paramref name="deliver"/>'s return: if the answer cannot be written, they wait for the next poll.
    /// </summary>
    public async Task PollAsync(string topic, string consumerGroup, string? tenant, int limit, TimeSpan timeout,
        Func<IReadOnlyList<string>, Task> deliver, CancellationToken cancellationToken)
    {
        var scope = tenant is null ? "all" : $"tenant.{tenant}";
        var queue = $"notifications.{topic}.{scope}.{consumerGroup}";
        await using var channel = await OpenChannelAsync(confirm: false, cancellationToken);
        var arguments = new Dictionary<string, object?>
        {
            ["x-message-ttl"] = (long)options.Value.Retention.TotalMilliseconds,
            ["x-max-length"] = options.Value.MaxWaitingPerGroup,
            ["x-expires"] = (long)options.Value.ForgetIdleGroupsAfter.TotalMilliseconds,
        };
        if (broker.Value.QuorumQueues)
        {
            // Quorum queues keep TTL, length and expiry (RabbitMQ 3.10 and later); the oldest message goes first when full, as before.
            arguments["x-queue-type"] = "quorum";
        }

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, NotificationRouting.Exchange, tenant is null ? $"{topic}.#" : $"{topic}.{tenant}", cancellationToken: cancellationToken);

        var messages = new List<string>();
        ulong lastTag = 0;
        OutgoingMessage? rest = null;
        var deadline = clock.GetTimestamp() + (long)(timeout.TotalSeconds * clock.TimestampFrequency);
        while (messages.Count < limit)
        {
            var got = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            if (got is null)
            {
                // Hand out what there is; wait only for a first message.
                if (messages.Count > 0 || clock.GetTimestamp() >= deadline)
                {
                    break;
                }

                await Task.Delay(PollInterval, clock, cancellationToken);
                continue;
            }

            // limit counts events: a batch is handed out as its events, each as if it had come alone.
            var events = EventsOf(got);
            if (events.Count <= limit - messages.Count)
            {
                messages.AddRange(events);
                lastTag = got.DeliveryTag;
                continue;
            }

            if (messages.Count > 0)
            {
                // It does not fit after what was taken: it stays first in the queue, for the next poll.
                await channel.BasicNackAsync(got.DeliveryTag, multiple: false, requeue: true, cancellationToken);
                break;
            }

            // A batch larger than the limit: its first events now, the others back on the group's queue as a batch of their own.
            messages.AddRange(events.Take(limit));
            lastTag = got.DeliveryTag;
            rest = new OutgoingMessage("", queue,
                Properties(NotificationRouting.BatchContentType, NotificationIds.Of($"{got.BasicProperties.MessageId}|after {limit}").ToString(), TypeOf(got)),
                BatchBody(events.Skip(limit).Select(e => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(e))));
        }

        await deliver(messages);
        if (rest is not null)
        {
            // Stored before the original is acknowledged: a crash in between hands out some events twice, never loses one
            // (subscribers drop repeats by their id, as after any redelivery).
            await PublishConfirmedAsync([rest], CancellationToken.None);
        }

        if (lastTag != 0)
        {
            await channel.BasicAckAsync(lastTag, multiple: true, CancellationToken.None);
        }
    }

    /// <summary>
    /// The events a message holds, each as its text: the body, or each element of a batch's array as it stands there. A
    /// batch that is no JSON array (not the Api's: it makes none such) is handed out as it came, like any message.
    /// </summary>
    static List<string> EventsOf(BasicGetResult message)
    {
        if (message.BasicProperties.ContentType == NotificationRouting.BatchContentType)
        {
            try
            {
                using var batch = JsonDocument.Parse(message.Body);
                if (batch.RootElement.ValueKind == JsonValueKind.Array)
                {
                    return batch.RootElement.EnumerateArray().Select(element => element.GetRawText()).ToList();
                }
            }
            catch (JsonException)
            {
                // Handed out as it came, below.
            }
        }

        return [Encoding.UTF8.GetString(message.Body.Span)];
    }

    static string TypeOf(BasicGetResult message) =>
        message.BasicProperties.Headers?.TryGetValue(NotificationRouting.TypeHeader, out var type) == true && type is byte[] text ? Encoding.UTF8.GetString(text) : "";

    async Task<IChannel> OpenChannelAsync(bool confirm, CancellationToken cancellationToken)
    {
        var channel = await (await _connection.GetAsync(cancellationToken)).CreateChannelAsync(new CreateChannelOptions(confirm, confirm), cancellationToken);
        await channel.ExchangeDeclareAsync(NotificationRouting.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_publisher is not null)
        {
            await _publisher.DisposeAsync();
        }

        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
