using ImageManager.Catalog.Persistence;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MySqlConnector;

namespace ImageManager.Catalog.Tests.Persistence;

/// <summary>
/// A catalogue written while names were unique across all tenants, migrated to names unique per tenant: every image stays
/// as it was, and from then on the database holds the new rule (a name per tenant, one public image per name).
/// </summary>
public sealed class ImageNameMigrationTests : IAsyncLifetime
{
    const string BeforeNamesPerTenant = "20261206140557_OutboxClaims";

    readonly CatalogDbContext _db = new(new DbContextOptionsBuilder<CatalogDbContext>()
        .UseMySql(
            new MySqlConnectionStringBuilder(Infrastructure.MariaDb) { Database = $"imagemanager_catalog_migration_{Guid.NewGuid():N}"[..48] }.ConnectionString,
            new MariaDbServerVersion(new CatalogOptions().MariaDbVersion))
        .Options);

    public Task InitializeAsync() => _db.GetService<IMigrator>().MigrateAsync(BeforeNamesPerTenant);

    public async Task DisposeAsync()
    {
        await _db.Database.EnsureDeletedAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task When_a_catalogue_from_before_names_per_tenant_is_migrated_its_images_stay_and_names_become_per_tenant()
    {
        await InsertAsync("tenant-a", "mig", "private");
        await InsertAsync("tenant-b", "pub", "public");
        await InsertAsync(null, "legacy", "private");

        await _db.Database.MigrateAsync();

        var scopes = await _db.Database.SqlQueryRaw<Scopes>("SELECT name AS Name, owner_scope AS OwnerScope, public_scope AS PublicScope FROM images ORDER BY name").ToListAsync();
        Assert.Equal([new Scopes("legacy", "", null), new Scopes("mig", "tenant-a", null), new Scopes("pub", "tenant-b", true)], scopes);
        await InsertAsync("tenant-c", "mig", "private"); // another tenant's name: allowed now
        await InsertAsync("tenant-c", "pub", "private"); // a public image's name, kept private: allowed
        await Assert.ThrowsAsync<MySqlException>(() => InsertAsync("tenant-a", "mig", "shared")); // the tenant's own name again
        await Assert.ThrowsAsync<MySqlException>(() => InsertAsync("tenant-d", "pub", "public")); // a second public image of that name
        await Assert.ThrowsAsync<MySqlException>(() => InsertAsync(null, "legacy", "private")); // no owner is a tenant of its own
    }

    Task InsertAsync(string? owner, string name, string visibility) => _db.Database.ExecuteSqlAsync($"""
        INSERT INTO images (id, kind, name, version, status, visibility, owner, protected, exclude_from_latest, revision, created_at, updated_at)
        VALUES ({Guid.NewGuid()}, 'vm-image', {name}, '1.0', 'queued', {visibility}, {owner}, FALSE, FALSE, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
        """);
}
