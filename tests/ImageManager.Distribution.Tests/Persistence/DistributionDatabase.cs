using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;

namespace ImageManager.Distribution.Tests.Persistence;

/// <summary>A PostgreSQL database of its own on the local server, migrated like production, dropped afterwards.</summary>
public sealed class DistributionDatabase : IAsyncLifetime
{
    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(Infrastructure.Postgres)
    {
        Database = $"imagemanager_distribution_test_{Guid.NewGuid():N}"[..48],
    }.ConnectionString;

    public DbContextOptions<DistributionDbContext> Options => new DbContextOptionsBuilder<DistributionDbContext>().UseNpgsql(ConnectionString).Options;

    /// <summary>What services take their contexts from, on this database.</summary>
    public IDbContextFactory<DistributionDbContext> Factory() => new PooledDbContextFactory<DistributionDbContext>(Options);

    public async Task InitializeAsync()
    {
        await using var db = new DistributionDbContext(Options);
        await db.Database.MigrateAsync();
    }

    /// <summary>
    /// One replica of the Distribution as far as its key ring goes: the service's Data Protection set-up on this database
    /// (<see cref="VimCredentialProtector.Register"/>), with <paramref name="settings"/> as its configuration and the key
    /// folder of an earlier version at <paramref name="importKeysFrom"/> (none when not given), in
    /// <paramref name="environment"/> (what its start-up checks, <c>IStartupValidator</c>, look at).
    /// </summary>
    public ServiceProvider KeyRingService(IConfiguration settings, DirectoryInfo? importKeysFrom = null, string environment = "Development")
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment, ApplicationName = "ImageManager.Distribution" });
        services.AddScoped(_ => new DistributionDbContext(Options));
        VimCredentialProtector.Register(services, importKeysFrom ?? new DirectoryInfo(Path.Combine(Path.GetTempPath(), $"imagemanager-no-keys-{Guid.NewGuid():N}")), settings);
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

    /// <summary>Registers OpenStack VIMs with these ids (those already registered stay as they are): a distribution names only registered VIMs.</summary>
    public async Task RegisterVimsAsync(IEnumerable<string> ids)
    {
        await using var db = new DistributionDbContext(Options);
        var known = await db.Vims.Select(v => v.Id).ToListAsync();
        var now = DateTimeOffset.UtcNow;
        db.Vims.AddRange(ids.Except(known).Distinct().Select(id => new Vim { Id = id, Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/"), CreatedAt = now, UpdatedAt = now }));
        await db.SaveChangesAsync();
    }

    /// <summary>When the rows <see cref="AddDistributionAsync"/> seeds were created and last updated.</summary>
    public static readonly DateTimeOffset SeedTime = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A distribution whose targets (VIMs registered here) are in the states and attempts given; its id.</summary>
    public async Task<Guid> AddDistributionAsync(IEnumerable<(string Vim, string State, int Attempt)> targets)
    {
        var id = NewId.NextGuid();
        var list = targets.ToList();
        await RegisterVimsAsync(list.Select(t => t.Vim));
        await using var db = new DistributionDbContext(Options);
        db.Distributions.Add(new DistributionState
        {
            CorrelationId = id,
            CurrentState = "Distributing",
            ImageId = Guid.NewGuid(),
            RequestedAt = SeedTime,
            UpdatedAt = SeedTime,
            TargetCount = list.Count,
        });
        db.Targets.AddRange(list.Select(t => new DistributionTarget
        {
            DistributionId = id,
            VimId = t.Vim,
            State = t.State,
            Attempt = t.Attempt,
            Progress = TargetProgress.Of(t.Attempt, t.State),
            CreatedAt = SeedTime,
            UpdatedAt = SeedTime,
        }));
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>A validated image of <paramref name="owner"/> as Distribution records it, leaving the catalogue since <paramref name="withdrawnAt"/> if given.</summary>
    public async Task<DistributableImage> AddImageAsync(string? owner, DateTimeOffset? withdrawnAt = null)
    {
        var image = new DistributableImage
        {
            Id = Guid.NewGuid(),
            Name = "test-image",
            Version = "1",
            Kind = "vm-image",
            Sha256 = new string('a', 64),
            Sha512 = new string('b', 128),
            Owner = owner,
            WithdrawnAt = withdrawnAt,
        };
        await using var db = new DistributionDbContext(Options);
        db.Images.Add(image);
        await db.SaveChangesAsync();
        return image;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = new DistributionDbContext(Options);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.Database.EnsureDeletedAsync();
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                // Autovacuum was at work in the fresh database, and only a superuser may end it: it is done within moments.
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
