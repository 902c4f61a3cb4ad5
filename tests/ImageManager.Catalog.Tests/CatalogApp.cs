using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Access;
using ImageManager.Testing;
using Microsoft.AspNetCore.Hosting;
using MassTransit;
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

    /// <summary>Creates an image through the API; <paramref name="fields"/> adds to or overrides a minimal software package.</summary>
    public async Task<JsonObject> CreateImageAsync(string name, object? fields = null)
    {
        var body = new JsonObject { ["name"] = name, ["version"] = "1.0", ["kind"] = "software-package" };
        foreach (var (key, value) in fields is null ? [] : JsonSerializer.SerializeToNode(fields)!.AsObject())
        {
            body[key] = value?.DeepClone();
        }

        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/images", body);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A client of the Catalog as the Api calls it for a caller of <paramref name="tenant"/> with <paramref name="roles"/>.</summary>
    public HttpClient ClientOf(string tenant, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ForwardedCaller.IdHeader, $"key:{tenant}-test");
        client.DefaultRequestHeaders.Add(ForwardedCaller.TenantHeader, tenant);
        client.DefaultRequestHeaders.Add(ForwardedCaller.RolesHeader, string.Join(',', roles));
        return client;
    }

    /// <summary>Records bytes for the image and makes it active, as a passed validation would.</summary>
    public async Task MakeActiveAsync(string id)
    {
        using var client = CreateClient();
        using var uploaded = await client.PostAsJsonAsync($"/internal/v1/images/{id}/upload-completed", new { sha256 = new string('1', 64), sha512 = new string('2', 128), sizeBytes = 1 });
        uploaded.EnsureSuccessStatusCode();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await db.Images.Where(i => i.Id == Guid.Parse(id)).ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, "active"));
    }

    /// <summary>Creates an image, records its bytes, and makes it active through a real <see cref="ImageValidated"/> with <paramref name="signer"/>.</summary>
    public async Task<Guid> CreateValidatedAsync(string name, ImageSigner? signer = null, string version = "1.0")
    {
        var id = Guid.Parse((await CreateImageAsync(name, new { version }))["id"]!.GetValue<string>());
        using var client = CreateClient();
        using var uploaded = await client.PostAsJsonAsync($"/internal/v1/images/{id}/upload-completed", new { sha256 = new string('1', 64), sha512 = new string('2', 128), sizeBytes = 1 });
        uploaded.EnsureSuccessStatusCode();
        await Services.GetRequiredService<IBus>().Publish(new ImageValidated
        {
            ImageId = id,
            Name = name,
            Version = version,
            Kind = "software-package",
            SizeBytes = 1,
            Sha256 = new string('1', 64),
            Sha512 = new string('2', 128),
            MalwareScan = "clean",
            SignedBy = signer,
            ValidatedAt = DateTimeOffset.UtcNow,
        });
        await Eventually.Get(() => client.GetFromJsonAsync<JsonObject>($"/api/v1/images/{id}")!, image => image!["status"]!.GetValue<string>() == "active", TimeSpan.FromSeconds(30), $"{name} active");
        return id;
    }

    /// <summary>Sends a JSON merge patch, with <c>If-Match</c> when <paramref name="ifMatch"/> is given.</summary>
    public async Task<HttpResponseMessage> PatchAsync(string id, string patch, string? ifMatch = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{id}")
        {
            Content = new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Collects every <typeparamref name="T"/> published on this app's broker from now on, until disposed.</summary>
    public async Task<PublishedMessages<T>> ListenAsync<T>()
        where T : class
    {
        var messages = new PublishedMessages<T>();
        var handle = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint($"test-{typeof(T).Name}-{Guid.NewGuid():N}", e => e.Handler<T>(context =>
        {
            messages.Add(context.Message);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        messages.Handle = handle;
        return messages;
    }

    /// <summary>The secret the Catalog takes from the Api; every client made by <see cref="WebApplicationFactory{T}.CreateClient()"/> presents it.</summary>
    public string ServiceToken { get; } = TestSecrets.NewServiceToken();

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceToken);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Internal:ServiceToken", ServiceToken);
        builder.UseSetting("ConnectionStrings:Catalog", _connectionString);
        builder.UseSetting("RabbitMq:Uri", _broker.Uri.ToString());
    }
}
