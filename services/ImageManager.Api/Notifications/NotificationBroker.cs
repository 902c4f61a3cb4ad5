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
    /// </summary>
    public async Task PublishAllAsync(string topic, IReadOnlyList<CloudEvent> notifications, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _publisher ??= await OpenChannelAsync(confirm: true, cancellationToken);
            var publisher = _publisher;
            await Task.WhenAll(notifications.Select(notification =>
                publisher.BasicPublishAsync(NotificationRouting.Exchange, $"{topic}.{notification.Tenant ?? NoTenant}", mandatory: false, Properties(notification),
                    JsonSerializer.SerializeToUtf8Bytes(notification, Json), cancellationToken).AsTask()));
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

    BasicProperties Properties(CloudEvent notification) => new()
    {
        Persistent = true,
        ContentType = "application/cloudevents+json",
        MessageId = notification.Id,
        UserId = _user,
        Headers = new Dictionary<string, object?> { [NotificationRouting.TypeHeader] = notification.Type },
    };

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
        var deadline = clock.GetTimestamp() + (long)(timeout.TotalSeconds * clock.TimestampFrequency);
        while (messages.Count < limit)
        {
            var got = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            if (got is not null)
            {
                messages.Add(Encoding.UTF8.GetString(got.Body.Span));
                lastTag = got.DeliveryTag;
                continue;
            }

            // Hand out what there is; wait only for a first message.
            if (messages.Count > 0 || clock.GetTimestamp() >= deadline)
            {
                break;
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }

        await deliver(messages);
        if (lastTag != 0)
        {
            await channel.BasicAckAsync(lastTag, multiple: true, CancellationToken.None);
        }
    }

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
