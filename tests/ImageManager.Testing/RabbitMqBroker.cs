using System.Globalization;
using System.Text.RegularExpressions;
using Testcontainers.RabbitMq;
using Xunit;

namespace ImageManager.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test fixture, so that fixtures never consume each other's messages.
/// Uses the local broker that <c>infra/infra.sh</c> started; when none is configured and a Docker engine answers,
/// a Testcontainers broker instead. A fixture that must restart its broker asks for a <see cref="Private"/> node, so
/// that the tests using the shared one at the same time go on undisturbed.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    readonly string? _node;
    readonly bool _cluster;
    readonly List<string> _users = [];
    RabbitMqContainer? _container;
    string? _virtualHost;

    RabbitMqBroker(string? node, bool cluster = false)
    {
        _node = node;
        _cluster = cluster;
    }

    /// <summary>A virtual host on the shared local broker (or a container).</summary>
    public RabbitMqBroker()
        : this(null)
    {
    }

    /// <summary>
    /// A virtual host on a RabbitMQ node of its own (<c>infra/infra.sh broker start {node}</c>), which
    /// <see cref="RestartAsync"/> stops and starts, and which is stopped when the fixture ends.
    /// </summary>
    public static RabbitMqBroker Private(string node) => new(node);

    /// <summary>
    /// A virtual host on the three-node cluster of <c>infra/infra.sh ha start</c> (its nodes in
    /// <c>IMAGEMANAGER_HA_RABBITMQ_NODES</c>), which fault tests break one node at a time.
    /// </summary>
    public static RabbitMqBroker Cluster() => new(null, cluster: true);

    /// <summary>The AMQP URI, virtual host included, that this fixture's buses use.</summary>
    public Uri Uri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var local = _cluster ? Infrastructure.Get("IMAGEMANAGER_HA_RABBITMQ_URI")
            : _node is null ? Infrastructure.RabbitMqUri
            : (await Infra("broker", "start", _node)).Split('\n').Last(line => line.StartsWith("amqp://", StringComparison.Ordinal));
        if (local is not null)
        {
            _virtualHost = $"test-{Guid.NewGuid():N}";
            await RabbitMqCtl("add_vhost", _virtualHost);
            await RabbitMqCtl("set_permissions", "-p", _virtualHost, "guest", ".*", ".*", ".*");
            Uri = new Uri(new Uri(local), Uri.EscapeDataString(_virtualHost));
            return;
        }

        if (!File.Exists("/var/run/docker.sock"))
        {
            throw new InvalidOperationException(
                "No RabbitMQ: IMAGEMANAGER_RABBITMQ_URI is not set and no Docker engine answers. Run `infra/infra.sh start`.");
        }

        _container = new RabbitMqBuilder("rabbitmq:3.13-management-alpine").Build();
        await _container.StartAsync();
        Uri = new Uri(_container.GetConnectionString());
    }

    /// <summary>The broker user that <see cref="AddUserAsync"/> makes for <paramref name="name"/>; known before it exists, for configuration.</summary>
    public string UserName(string name) => $"{_virtualHost ?? throw new InvalidOperationException("Broker users are made on a local broker only.")}-{name}";

    /// <summary>
    /// A broker user of this fixture's own, with rights on its virtual host only, as an outside system (SDC, SO) has:
    /// the URI to connect as it. Removed with the fixture.
    /// </summary>
    public async Task<Uri> AddUserAsync(string name)
    {
        var user = UserName(name);
        var password = TestSecrets.NewServiceToken();
        await RabbitMqCtl("add_user", user, password);
        _users.Add(user);
        await RabbitMqCtl("set_permissions", "-p", _virtualHost!, user, ".*", ".*", ".*");
        return new UriBuilder(Uri) { UserName = Uri.EscapeDataString(user), Password = password }.Uri;
    }

    /// <summary>Stops the private node (gracefully: durable queues and persistent messages survive, as in a rolling restart) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await Infra("broker", "restart", PrivateNode());
    }

    /// <summary>
    /// Stops the private node gracefully, keeping its queues and messages, for a test that chooses how long the broker
    /// stays away (<see cref="StartAsync"/> brings it back).
    /// </summary>
    public Task StopAsync() => Infra("broker", "halt", PrivateNode());

    /// <summary>Starts the private node stopped by <see cref="StopAsync"/> again, on the same port.</summary>
    public Task StartAsync() => Infra("broker", "start", PrivateNode());

    string PrivateNode() => _node ?? throw new InvalidOperationException("Only a private broker is stopped: the shared one serves other tests.");

    /// <summary>
    /// Messages in each queue of this fixture's virtual host, ready and unacknowledged together, as the broker counts
    /// them now: all zero means nothing is in flight on the bus (a consumer acknowledges after what it publishes).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync()
    {
        var virtualHost = _virtualHost ?? throw new InvalidOperationException("Queue depths are read from a local broker only.");
        var output = await RabbitMqCtl("list_queues", "-p", virtualHost, "--quiet", "--no-table-headers", "name", "messages");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length == 2)
            .ToDictionary(columns => columns[0], columns => long.Parse(columns[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    /// <summary>Deletes a queue of this fixture's virtual host with what it holds (a test's own queue, so that the bus looks idle again).</summary>
    public async Task DeleteQueueAsync(string queue) =>
        await RabbitMqCtl("delete_queue", "-p", _virtualHost ?? throw new InvalidOperationException("Queues are deleted on a local broker only."), queue);

    public async Task DisposeAsync()
    {
        foreach (var user in _users)
        {
            await RabbitMqCtl("delete_user", user);
        }

        if (_node is not null)
        {
            await Infra("broker", "stop", _node);
        }
        else if (_virtualHost is not null)
        {
            await RabbitMqCtl("delete_vhost", _virtualHost);
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    /// <summary>
    /// How long the broker lets a consumer hold a delivery unacknowledged before it closes the consumer's channel
    /// (RabbitMQ's <c>consumer_timeout</c>); null when it has none.
    /// </summary>
    public async Task<TimeSpan?> ConsumerTimeoutAsync()
    {
        var answer = await RabbitMqCtl("eval", "application:get_env(rabbit, consumer_timeout).");
        var match = Regex.Match(answer, @"\{ok,(\d+)\}");
        return match.Success ? TimeSpan.FromMilliseconds(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) : null;
    }

    Task<string> RabbitMqCtl(params string[] arguments) =>
        _cluster ? Infra(["ha", "rabbitmqctl", .. arguments])
        : _node is null ? Infra(["rabbitmqctl", .. arguments])
        : Infra(["broker", "rabbitmqctl", _node, .. arguments]);

    static Task<string> Infra(params string[] arguments) => InfraScript.RunAsync(arguments);
}
