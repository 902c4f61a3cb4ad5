using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;

namespace ImageManager.Notifications.Tests.Persistence;

/// <summary>A Notifications database of its own on the local PostgreSQL, migrated like production, dropped afterwards.</summary>
public sealed class NotificationsDatabase : IAsyncLifetime
{
    public string ConnectionString { get; } = Infrastructure.PostgresDatabase($"imagemanager_notifications_test_{Guid.NewGuid():N}"[..49]);

    public DbContextOptions<NotificationsDbContext> Options => new DbContextOptionsBuilder<NotificationsDbContext>().UseNpgsql(ConnectionString).Options;

    public async Task InitializeAsync()
    {
        await using var db = new NotificationsDbContext(Options);
        await db.Database.MigrateAsync();
    }

    /// <summary>
    /// One replica of the Notifications as far as its key ring goes: the service's Data Protection set-up on this database
    /// (<see cref="SubscriptionSecretProtector.Register"/>) with <paramref name="settings"/> as its configuration, in
    /// Development (what its start-up checks look at).
    /// </summary>
    public ServiceProvider KeyRingService(IConfiguration settings)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development, ApplicationName = "ImageManager.Notifications" });
        services.AddScoped(_ => new NotificationsDbContext(Options));
        SubscriptionSecretProtector.Register(services, new DirectoryInfo(Path.Combine(Path.GetTempPath(), $"imagemanager-no-keys-{Guid.NewGuid():N}")), settings);
        return services.BuildServiceProvider();
    }

    /// <summary>The key ring's rows as they are stored (what a dump of the database holds), oldest first.</summary>
    public async Task<IReadOnlyList<string>> StoredKeysAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY id", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    public Task DisposeAsync() => Infrastructure.DropPostgresDatabasesAsync(ConnectionString);
}
