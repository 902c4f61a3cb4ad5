using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts;
using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace ImageManager.Notifications.Tests.Intake;

/// <summary>
/// The Notifications service as a process, on a RabbitMQ virtual host and a PostgreSQL database of its own. Before it
/// starts, its queue is declared as the earlier, hand-rolled intake declared it, as on a broker that ran that version: the
/// service must take the queue over as it is. Notifications are published as the Api publishes them.
/// </summary>
public class IntakeService : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    readonly string _serviceToken = TestSecrets.NewServiceToken();
    ServiceProcess? _service;
    HttpClient? _http;

    public IntakeService()
        : this(new RabbitMqBroker())
    {
    }

    protected IntakeService(RabbitMqBroker broker) => Broker = broker;

    public RabbitMqBroker Broker { get; }

    public string DatabaseConnection => Infrastructure.PostgresDatabase($"imagemanager_notifications_intake_{_runId}");

    public string LogPath => _service!.LogPath;

    string KeysDirectory => Path.Combine(RepositoryPaths.TestOutput, $"intake-keys-{_runId}");

    /// <summary>What its key ring is encrypted to: the service runs as in Production, which refuses to start without one.</summary>
    readonly TestKeyRingCertificate _keyRingCertificate = new();

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        await DeclareAsTheEarlierIntakeDidAsync();
        var address = LoopbackPorts.FreeAddress();
        var settings = new Dictionary<string, string>
        {
            ["Urls"] = address.ToString(),
            ["RabbitMq__Uri"] = Broker.Uri.ToString(),
            ["ConnectionStrings__Notifications"] = DatabaseConnection,
            ["DataProtection__KeysDirectory"] = KeysDirectory,
            ["DataProtection__Certificate"] = _keyRingCertificate.Path,
            ["Internal__ServiceToken"] = _serviceToken,
            ["Webhooks__Retention"] = Retention.ToString(),
            ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        await ServiceProcess.RunToCompletionAsync("ImageManager.Notifications", settings, "migrate");
        _service = await ServiceProcess.StartAsync($"notifications-intake-{_runId}", "ImageManager.Notifications", settings, address, RepositoryPaths.TestOutput);
        _http = new HttpClient { BaseAddress = _service.Address, Timeout = TimeSpan.FromSeconds(5) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _serviceToken);
        await Eventually.Get(ReadinessAsync, status => status == HttpStatusCode.OK, Patience, "the intake to consume");
    }

    /// <summary>What <c>/readyz</c> answers now.</summary>
    public async Task<HttpStatusCode> ReadinessAsync()
    {
        try
        {
            using var response = await _http!.GetAsync("/readyz");
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Publishes <paramref name="body"/> to the notification exchange as the Api does (persistent, confirmed, content type
    /// <c>application/cloudevents+json</c>, its CloudEvents type as a header when it has one), connected as
    /// <paramref name="connectAs"/> (the service's own user when not given) and naming that connection's user as
    /// <c>user_id</c>, which RabbitMQ checks.
    /// </summary>
    public Task PublishAsync(byte[] body, string routingKey, Uri? connectAs = null) =>
        PublishAsync(body, routingKey, NotificationRouting.EventContentType, TypeOf(body), connectAs ?? Broker.Uri);

    /// <summary>
    /// Publishes <paramref name="body"/>, a JSON array of CloudEvents, as the Api publishes a batch of one type: content
    /// type <c>application/cloudevents-batch+json</c>, <paramref name="type"/> as the type header.
    /// </summary>
    public Task PublishBatchAsync(byte[] body, string type, string routingKey) =>
        PublishAsync(body, routingKey, NotificationRouting.BatchContentType, type, Broker.Uri);

    async Task PublishAsync(byte[] body, string routingKey, string contentType, string? type, Uri uri)
    {
        await using var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = contentType,
            MessageId = Guid.NewGuid().ToString(),
            UserId = uri.UserInfo.Length == 0 ? "guest" : Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]),
            Headers = type is not null ? new Dictionary<string, object?> { [NotificationRouting.TypeHeader] = type } : null,
        };
        await channel.BasicPublishAsync(NotificationRouting.Exchange, routingKey, mandatory: false, properties, body);
    }

    /// <summary>Publishes all of <paramref name="bodies"/> at once on one channel, as the Api publishes a batch, each confirmed.</summary>
    public async Task PublishAllAsync(IEnumerable<byte[]> bodies, string routingKey)
    {
        await using var connection = await new ConnectionFactory { Uri = Broker.Uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await Task.WhenAll(bodies.Select(body => channel.BasicPublishAsync(NotificationRouting.Exchange, routingKey, mandatory: false, new BasicProperties
        {
            Persistent = true,
            ContentType = NotificationRouting.EventContentType,
            UserId = "guest",
            Headers = new Dictionary<string, object?> { [NotificationRouting.TypeHeader] = TypeOf(body) },
        }, body).AsTask()));
    }

    /// <summary>Transactions committed in the service's database so far (<c>pg_stat_database.xact_commit</c>, a statement outside one counting as one).</summary>
    public async Task<long> CommittedTransactionsAsync()
    {
        await using var db = Database();
        await db.Database.ExecuteSqlRawAsync("SELECT pg_stat_clear_snapshot()");
        return await db.Database.SqlQueryRaw<long>("SELECT xact_commit AS \"Value\" FROM pg_stat_database WHERE datname = current_database()").SingleAsync();
    }

    /// <summary>
    /// A subscription made as the Api makes it (so its types are bound), then suspended so that nothing is sent: its
    /// deliveries are recorded and wait. An operator's when <paramref name="allTenants"/>.
    /// </summary>
    public async Task<Guid> SubscribeAsync(string tenant, bool allTenants, params string[] events)
    {
        using var request = AsCaller(HttpMethod.Post, "/api/v1/subscriptions", tenant, allTenants);
        request.Content = JsonContent.Create(new { url = "https://subscriber.example/hook", events, secret = "not used: nothing is sent" });
        using var response = await _http!.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        await using var db = Database();
        var now = DateTimeOffset.UtcNow;
        await db.Subscriptions.Where(s => s.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(s => s.State, SubscriptionStates.Suspended)
            .SetProperty(s => s.SuspendedReason, "a test's")
            .SetProperty(s => s.SuspendedAt, now));
        return id;
    }

    /// <summary>Deletes a subscription as an operator would, through the service's endpoint.</summary>
    public async Task UnsubscribeAsync(Guid id)
    {
        using var request = AsCaller(HttpMethod.Delete, $"/api/v1/subscriptions/{id}", "operators", operatorCaller: true);
        using var response = await _http!.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>The messages the service's bus has taken from the broker so far, as it counts them (<c>/internal/v1/bus-traffic</c>).</summary>
    public async Task<long> MessagesReceivedAsync() =>
        (await _http!.GetFromJsonAsync<JsonObject>("/internal/v1/bus-traffic"))!["received"]!.GetValue<long>();

    static HttpRequestMessage AsCaller(HttpMethod method, string path, string tenant, bool operatorCaller)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Caller-Id", "a-test");
        request.Headers.Add("X-Caller-Tenant", tenant);
        request.Headers.Add("X-Caller-Roles", operatorCaller ? "operator" : "viewer");
        return request;
    }

    static string? TypeOf(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject { } notification && notification["type"] is JsonValue type && type.TryGetValue(out string? text) ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public NotificationsDbContext Database() =>
        new(new DbContextOptionsBuilder<NotificationsDbContext>().UseNpgsql(DatabaseConnection).Options);

    /// <summary>Waits until the intake's queue holds nothing, ready or unacknowledged: every message published before is settled.</summary>
    public Task WaitUntilSettledAsync() =>
        Eventually.Get(Broker.QueueDepthsAsync, queues => queues.GetValueOrDefault(NotificationIntakeConsumerDefinition.Queue, -1) == 0, Patience,
            "the intake's queue to be empty");

    /// <summary>The service's log so far.</summary>
    public string Log()
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await Infrastructure.DropPostgresDatabasesAsync(DatabaseConnection);
        await Broker.DisposeAsync();
        if (Directory.Exists(KeysDirectory))
        {
            Directory.Delete(KeysDirectory, recursive: true);
        }

        _keyRingCertificate.Dispose();
    }

    async Task DeclareAsTheEarlierIntakeDidAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = Broker.Uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(NotificationRouting.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(NotificationIntakeConsumerDefinition.Queue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-message-ttl"] = (long)Retention.TotalMilliseconds });
        await channel.QueueBindAsync(NotificationIntakeConsumerDefinition.Queue, NotificationRouting.Exchange, "#");
    }
}
