using ImageManager.Catalog.Persistence;
using ImageManager.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace ImageManager.Catalog.Tests;

/// <summary>The Catalog service in-process, on a MariaDB database and a RabbitMQ virtual host of its own.</summary>
public sealed class CatalogApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    readonly RabbitMqBroker _broker = new();
    readonly string _connectionString = new MySqlConnectionStringBuilder(Infrastructure.MariaDb)
    {
        Database = $"imagemanager_catalog_test_{Guid.NewGuid():N}"[..48],
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Database.MigrateAsync();
    }

    public new async Task DisposeAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Database.EnsureDeletedAsync();
        }

        await base.DisposeAsync();
        await _broker.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Catalog", _connectionString);
        builder.UseSetting("RabbitMq:Uri", _broker.Uri.ToString());
    }
}
