using ImageManager.Contracts;
using ImageManager.ServiceDefaults;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Which notifications reach the intake's queue, kept by RabbitMQ: the Api's topic exchange feeds a headers exchange of
/// the intake's own (every message, a broker-internal hop that stores nothing), and the intake's queue is bound to it once
/// per CloudEvents type some subscription wants (the message header <see cref="NotificationRouting.TypeHeader"/>), or once without arguments
/// (every message) while a subscription wants every type. A type nobody wants is dropped by the broker, never stored,
/// delivered or read. Binding and unbinding are idempotent, so a full pass (<see cref="ApplyAsync"/>) needs no knowledge
/// of what is bound now; bindings are the broker's, so they hold for every replica of the service.
/// </summary>
public sealed class IntakeBindings(IOptions<RabbitMqOptions> broker) : IAsyncDisposable
{
    /// <summary>The headers exchange between the Api's topic exchange and the intake's queue.</summary>
    public const string TypeExchange = "imagemanager.notifications.webhook-types";

    readonly BrokerConnection _connection = new(broker, "imagemanager-notifications-bindings");

    /// <summary>Binds the intake's queue to each of <paramref name="types"/> (to every type when <paramref name="everyType"/>), unbinding nothing.</summary>
    public async Task BindAsync(IReadOnlyCollection<string> types, bool everyType, CancellationToken cancellationToken)
    {
        await using var channel = await OpenChannelAsync(cancellationToken);
        if (everyType)
        {
            await channel.QueueBindAsync(NotificationIntakeConsumerDefinition.Queue, TypeExchange, "", EveryType(), cancellationToken: cancellationToken);
        }

        foreach (var type in types)
        {
            await channel.QueueBindAsync(NotificationIntakeConsumerDefinition.Queue, TypeExchange, "", Only(type), cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Makes the bindings exactly <paramref name="wanted"/>: binds first, then unbinds, so a type wanted before and after
    /// is never unbound for a moment. Also removes the catch-all binding of earlier versions (the queue bound to the Api's
    /// exchange with <c>#</c>). Fails while the intake's queue does not exist yet (the bus declares it when it starts).
    /// </summary>
    public async Task ApplyAsync(WantedTypes wanted, CancellationToken cancellationToken)
    {
        await BindAsync(wanted.Types, wanted.EveryType, cancellationToken);
        await using var channel = await OpenChannelAsync(cancellationToken);
        await channel.QueueUnbindAsync(NotificationIntakeConsumerDefinition.Queue, NotificationRouting.Exchange, "#", cancellationToken: cancellationToken);
        if (!wanted.EveryType)
        {
            await channel.QueueUnbindAsync(NotificationIntakeConsumerDefinition.Queue, TypeExchange, "", EveryType(), cancellationToken);
        }

        foreach (var type in Subscriptions.EventFilter.KnownTypes.Except(wanted.Types, StringComparer.Ordinal))
        {
            await channel.QueueUnbindAsync(NotificationIntakeConsumerDefinition.Queue, TypeExchange, "", Only(type), cancellationToken);
        }
    }

    /// <summary>A channel on which both exchanges and the link between them exist; the queue is checked to exist, which a binding needs.</summary>
    async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        var channel = await (await _connection.GetAsync(cancellationToken)).CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.ExchangeDeclareAsync(NotificationRouting.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.ExchangeDeclareAsync(TypeExchange, ExchangeType.Headers, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.ExchangeBindAsync(TypeExchange, NotificationRouting.Exchange, "#", cancellationToken: cancellationToken);
            await channel.QueueDeclarePassiveAsync(NotificationIntakeConsumerDefinition.Queue, cancellationToken);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    static Dictionary<string, object?> EveryType() => new() { ["x-match"] = "all" };

    static Dictionary<string, object?> Only(string type) => new() { ["x-match"] = "all", [NotificationRouting.TypeHeader] = type };

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
