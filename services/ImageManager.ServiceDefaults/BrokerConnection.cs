using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace ImageManager.ServiceDefaults;

/// <summary>
/// A RabbitMQ client connection of a service's own, beside its bus, for what MassTransit does not do (subscribers'
/// topic exchange, the intake's bindings): opened on first use from <see cref="RabbitMqOptions"/>, to any node of a
/// cluster (the client picks one, and another when recovering from the loss of that one), and recovered by the client,
/// with its channels, when the broker comes back.
/// </summary>
public sealed class BrokerConnection(IOptions<RabbitMqOptions> broker, string clientName) : IAsyncDisposable
{
    readonly SemaphoreSlim _connecting = new(1, 1);
    IConnection? _connection;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            var factory = new ConnectionFactory { Uri = broker.Value.Uri!, ClientProvidedName = clientName };
            return _connection ??= broker.Value.Nodes.Length == 0
                ? await factory.CreateConnectionAsync(cancellationToken)
                : await factory.CreateConnectionAsync(broker.Value.Nodes.Select(Endpoint).ToList(), cancellationToken);
        }
        finally
        {
            _connecting.Release();
        }
    }

    // The options were validated on start: every node is host:port.
    static AmqpTcpEndpoint Endpoint(string node) =>
        RabbitMqOptions.TryParseNode(node, out var host, out var port) ? new AmqpTcpEndpoint(host, port) : throw new FormatException($"RabbitMq:Nodes holds '{node}'.");

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }
}
