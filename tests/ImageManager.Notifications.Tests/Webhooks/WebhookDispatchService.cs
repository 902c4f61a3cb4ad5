using System.Text;
using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>
/// The webhook dispatcher with the service's own set-up (key ring in its database included) on a PostgreSQL database of
/// its own; events and their deliveries recorded as the intake records them; dispatchers started as replicas run them.
/// </summary>
public sealed class WebhookDispatchService : IAsyncDisposable
{
    public const string EventType = "org.onap.imagemanager.image.updated";

    readonly string _database = Infrastructure.PostgresDatabase($"imagemanager_notifications_dispatch_{Guid.NewGuid():N}"[..56]);
    readonly DirectoryInfo _oldKeys = Directory.CreateTempSubdirectory("imagemanager-keys-");
    readonly List<WebhookDispatcher> _dispatchers = [];
    ServiceProvider _services = null!;

    /// <summary>The commands sent to the database through the service's contexts (the dispatchers', and this fixture's own).</summary>
    public CommandCounter Commands { get; } = new();

    WebhookDispatchService()
    {
    }

    public static async Task<WebhookDispatchService> StartAsync(Action<WebhookOptions>? configure = null)
    {
        var service = new WebhookDispatchService();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<DeliverySignal>()
            .Configure<WebhookOptions>(options =>
            {
                (options.AllowPrivateAddresses, options.Concurrency) = (true, 4);
                configure?.Invoke(options);
            });
        services.AddPooledDbContextFactory<NotificationsDbContext>(options => options.UseNpgsql(service._database).AddInterceptors(service.Commands));
        services.AddSingleton(s => new WebhookSender(new HttpClient(WebhookSender.CreateHandler(s.GetRequiredService<IOptions<WebhookOptions>>().Value)), s.GetRequiredService<IOptions<WebhookOptions>>()));
        SubscriptionSecretProtector.Register(services, service._oldKeys, new ConfigurationBuilder().Build());
        service._services = services.BuildServiceProvider();
        await using var db = service.Database();
        await db.Database.MigrateAsync();
        return service;
    }

    public NotificationsDbContext Database() => _services.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContext();

    /// <summary>An outcome recorder on the service's database, as a dispatcher makes one (not running until asked to).</summary>
    public DeliveryOutcomeRecorder OutcomeRecorder() =>
        new(_services.GetRequiredService<IDbContextFactory<NotificationsDbContext>>(), _services.GetRequiredService<IOptions<WebhookOptions>>().Value,
            TimeProvider.System, _services.GetRequiredService<ILoggerFactory>().CreateLogger<DeliveryOutcomeRecorder>());

    /// <summary>A subscription of tenant-1 that sends to <paramref name="subscriber"/>, signed with <paramref name="secret"/>.</summary>
    public async Task<Guid> SubscribeAsync(WebhookSubscriber subscriber, string secret)
    {
        var now = DateTimeOffset.UtcNow;
        var subscription = new Subscription
        {
            Id = Guid.NewGuid(),
            Url = subscriber.Url.ToString(),
            Tenant = "tenant-1",
            ProtectedSecret = Protect(secret),
            CreatedBy = "test",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = Database();
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync();
        return subscription.Id;
    }

    /// <summary>The secret as the subscription endpoints store it.</summary>
    public string Protect(string secret) => _services.GetRequiredService<SubscriptionSecretProtector>().Protect(secret);

    /// <summary>Records <paramref name="count"/> events (subjects <c>{prefix}-0</c>…), each with a due delivery to every one of <paramref name="subscriptions"/>.</summary>
    public async Task RecordEventsAsync(int count, string prefix, params Guid[] subscriptions)
    {
        await using var db = Database();
        for (var i = 0; i < count; i++)
        {
            AddEvent(db, $"{prefix}-{i}", subscriptions);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Adds an event about <paramref name="subject"/> to <paramref name="db"/>, with a due delivery to every one of <paramref name="subscriptions"/>; not saved.</summary>
    public static void AddEvent(NotificationsDbContext db, string subject, params Guid[] subscriptions)
    {
        var now = DateTimeOffset.UtcNow;
        var id = $"{subject}-{Guid.NewGuid():N}";
        var body = $$"""{"specversion":"1.0","id":"{{id}}","type":"{{EventType}}","source":"/test","subject":"{{subject}}"}""";
        db.Events.Add(new RecordedEvent { Id = id, Type = EventType, Body = Encoding.UTF8.GetBytes(body), RecordedAt = now });
        db.Deliveries.AddRange(subscriptions.Select(subscription =>
            new Delivery { Id = Guid.NewGuid(), SubscriptionId = subscription, EventId = id, EventType = EventType, EventSubject = subject, CreatedAt = now, NextAttemptAt = now }));
    }

    /// <summary>Starts <paramref name="replicas"/> dispatchers on the database, as that many replicas of the service run them.</summary>
    public async Task StartDispatchersAsync(int replicas = 1)
    {
        for (var i = 0; i < replicas; i++)
        {
            var dispatcher = ActivatorUtilities.CreateInstance<WebhookDispatcher>(_services);
            _dispatchers.Add(dispatcher);
            await dispatcher.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops the dispatchers; each waits for its attempts in flight and their records: nothing is sent or written after this.</summary>
    public async Task StopDispatchersAsync()
    {
        foreach (var dispatcher in _dispatchers)
        {
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
        }

        _dispatchers.Clear();
    }

    /// <summary>
    /// Transactions committed in the database so far (<c>pg_stat_database.xact_commit</c>, a statement outside one counting
    /// as one). A backend reports its counts when idle, at most once a second: the wait lets the last of them arrive.
    /// </summary>
    public async Task<long> CommittedTransactionsAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var db = Database();
        await db.Database.ExecuteSqlRawAsync("SELECT pg_stat_clear_snapshot()");
        return await db.Database.SqlQueryRaw<long>("SELECT xact_commit AS \"Value\" FROM pg_stat_database WHERE datname = current_database()").SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopDispatchersAsync();
        await _services.DisposeAsync();
        _oldKeys.Delete(recursive: true);
        await Infrastructure.DropPostgresDatabasesAsync(_database);
    }
}
