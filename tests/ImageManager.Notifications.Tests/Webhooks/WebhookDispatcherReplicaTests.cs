using System.Text;
using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>
/// Two webhook dispatchers on one PostgreSQL database, as two replicas of the Notifications service run them, with the
/// service's own set-up (key ring in that database included).
/// </summary>
public sealed class WebhookDispatcherReplicaTests : IAsyncLifetime
{
    readonly string _database = Infrastructure.PostgresDatabase($"imagemanager_notifications_replicas_{Guid.NewGuid():N}"[..56]);
    readonly DirectoryInfo _oldKeys = Directory.CreateTempSubdirectory("imagemanager-keys-");
    readonly WebhookSubscriber _subscriber = new();
    ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<DeliverySignal>()
            .Configure<WebhookOptions>(options => (options.AllowPrivateAddresses, options.Concurrency) = (true, 4));
        services.AddPooledDbContextFactory<NotificationsDbContext>(options => options.UseNpgsql(_database));
        services.AddScoped(s => s.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContext());
        services.AddSingleton(s => new WebhookSender(new HttpClient(WebhookSender.CreateHandler(s.GetRequiredService<IOptions<WebhookOptions>>().Value)), s.GetRequiredService<IOptions<WebhookOptions>>()));
        SubscriptionSecretProtector.Register(services, _oldKeys, new ConfigurationBuilder().Build());
        _services = services.BuildServiceProvider();
        await using var db = await _services.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _subscriber.Dispose();
        _oldKeys.Delete(recursive: true);
        await Infrastructure.DropPostgresDatabasesAsync(_database);
    }

    [Fact]
    public async Task When_two_replicas_dispatch_the_same_deliveries_each_event_reaches_the_subscriber_once()
    {
        const int events = 60;
        var now = DateTimeOffset.UtcNow;
        await using (var db = await _services.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContextAsync())
        {
            var subscription = new Subscription
            {
                Id = Guid.NewGuid(),
                Url = _subscriber.Url.ToString(),
                Tenant = "tenant-1",
                ProtectedSecret = _services.GetRequiredService<SubscriptionSecretProtector>().Protect("webhook-secret"),
                CreatedBy = "test",
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Subscriptions.Add(subscription);
            for (var i = 0; i < events; i++)
            {
                var id = $"event-{i}";
                var body = $$"""{"specversion":"1.0","id":"{{id}}","type":"org.imagemanager.image.updated","source":"/test","subject":"{{i}}"}""";
                db.Events.Add(new RecordedEvent { Id = id, Type = "org.imagemanager.image.updated", Body = Encoding.UTF8.GetBytes(body), RecordedAt = now });
                db.Deliveries.Add(new Delivery { Id = Guid.NewGuid(), SubscriptionId = subscription.Id, EventId = id, EventType = "org.imagemanager.image.updated", CreatedAt = now, NextAttemptAt = now });
            }

            await db.SaveChangesAsync();
        }

        WebhookDispatcher[] replicas = [ActivatorUtilities.CreateInstance<WebhookDispatcher>(_services), ActivatorUtilities.CreateInstance<WebhookDispatcher>(_services)];
        foreach (var replica in replicas)
        {
            await replica.StartAsync(CancellationToken.None);
        }

        await _subscriber.WaitForAsync(received => received.Select(r => r.Subject).Distinct().Count() == events, "every event delivered");
        foreach (var replica in replicas)
        {
            await replica.StopAsync(CancellationToken.None); // waits for the attempts in flight: nothing is sent after this
        }

        Assert.Equal(events, _subscriber.Received.Count);
        await using var after = await _services.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContextAsync();
        Assert.All(await after.Deliveries.AsNoTracking().ToListAsync(), d => Assert.Equal((DeliveryStates.Delivered, 1), (d.State, d.Attempts)));
    }
}
