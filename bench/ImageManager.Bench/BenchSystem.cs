using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using MySqlConnector;

namespace ImageManager.Bench;

/// <summary>The four services started from their Release builds against the local infrastructure, on their own vhost and databases.</summary>
public sealed class BenchSystem : IAsyncDisposable
{
    readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    readonly List<ServiceProcess> _services = [];
    readonly RabbitMqBroker _broker = new();

    public HttpClient Api { get; private set; } = null!;
    public ServiceProcess ApiProcess { get; private set; } = null!;
    public string BlobRoot { get; private set; } = null!;
    public string CatalogConnectionString { get; private set; } = null!;
    public string DistributionConnectionString { get; private set; } = null!;

    /// <summary>The four service processes by name (api, catalog, distribution, validation).</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Services => _services.ToDictionary(s => s.Name.Replace("bench-", "", StringComparison.Ordinal), s => s);
    public Uri CatalogAddress { get; private set; } = null!;

    /// <summary>The secret the Api presents to the services behind it; the bench's own calls to them present it too.</summary>
    public string ServiceToken { get; } = TestSecrets.NewServiceToken();
    readonly string _adminKey = TestSecrets.NewBootstrapKey();

    /// <summary>A client of a service behind the Api (its internal routes), with the service token.</summary>
    public HttpClient InternalClient(Uri address)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceToken);
        return client;
    }

    public async Task StartAsync()
    {
        await _broker.InitializeAsync();
        BlobRoot = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, ".local", "bench", $"blobs-{_runId}")).FullName;
        var apiAddress = ServiceProcess.FreeAddress(); // web-download VIMs pull from the Api
        var environment = new Dictionary<string, string>
        {
            ["RabbitMq__Uri"] = _broker.Uri.ToString(),
            ["BlobStore__Root"] = BlobRoot,
            ["DataProtection__KeysDirectory"] = BlobRoot + "-keys",
            ["ConnectionStrings__Catalog"] = CatalogConnectionString = Infrastructure.MariaDbDatabase($"imagemanager_catalog_bench_{_runId}"),
            ["ConnectionStrings__Distribution"] = DistributionConnectionString = Infrastructure.PostgresDatabase($"imagemanager_distribution_bench_{_runId}"),
            ["ConnectionStrings__Notifications"] = Infrastructure.PostgresDatabase($"imagemanager_notifications_bench_{_runId}"),
            ["Logging__LogLevel__Default"] = "Warning",
            // As operators run it: no development-time checks (scope validation, developer exception page).
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // Ten thousand sites 200 ms away: uploads in flight are mostly waiting, so allow many (each VIM's limit still holds).
            ["Distribution__ConcurrentUploads"] = "256",
            ["Distribution__ImageDownloadBaseUrl"] = apiAddress.ToString(),
            ["Internal__ServiceToken"] = ServiceToken,
        };
        await ServiceProcess.RunToCompletionAsync("ImageManager.Catalog", environment, "migrate");
        await ServiceProcess.RunToCompletionAsync("ImageManager.Distribution", environment, "migrate");
        await ServiceProcess.RunToCompletionAsync("ImageManager.Notifications", environment, "migrate");
        var catalog = await Start("catalog", "ImageManager.Catalog", environment);
        CatalogAddress = catalog.Address;
        // Distribution asks the Catalog whether a requester may see the image it is asked to distribute.
        var distribution = await Start("distribution", "ImageManager.Distribution", new Dictionary<string, string>(environment) { ["Downstream__Catalog"] = catalog.Address.ToString() });
        await Start("validation", "ImageManager.Validation", environment);
        var notifications = await Start("notifications", "ImageManager.Notifications", environment);
        ApiProcess = await Start("api", "ImageManager.Api", new Dictionary<string, string>(environment)
        {
            ["Downstream__Catalog"] = catalog.Address.ToString(),
            ["Downstream__Distribution"] = distribution.Address.ToString(),
            ["Downstream__Notifications"] = notifications.Address.ToString(),
            // One client (the tests' or the bench's) registers thousands of VIMs as fast as it can: not what the per-caller limit is for.
            ["Protection__PermitsPerSecond"] = "100000",
            ["Protection__Burst"] = "100000",
            ["Authentication__BootstrapAdminKey"] = _adminKey,
        }, apiAddress);
        Api = new HttpClient { BaseAddress = ApiProcess.Address, Timeout = TimeSpan.FromMinutes(30) };
        Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _adminKey);
    }

    public async Task<Guid> CreateImageAsync(string name)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/images", new { name = $"{name}-{_runId}-{Guid.NewGuid():N}", version = "1", kind = "vm-image", diskFormat = "raw" });
        response.EnsureSuccessStatusCode();
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
    }

    public async Task<string> RegisterVimAsync(string name, Uri endpoint)
    {
        var id = $"bench_{name}-{_runId}";
        using var response = await Api.PostAsJsonAsync("/api/v1/vims", new { id, type = "openstack", endpoint });
        response.EnsureSuccessStatusCode();
        return id;
    }

    public async Task<JsonObject> GetAsync(string path) => (await Api.GetFromJsonAsync<JsonObject>(path))!;

    /// <summary>Removes an image's blob behind the service's back, so that the next round stores the same bytes anew instead of finding them.</summary>
    public async Task DeleteBlobAsync(Guid imageId)
    {
        var sha256 = (await GetAsync($"/api/v1/images/{imageId}"))["sha256"]!.GetValue<string>();
        File.Delete(Path.Combine(BlobRoot, "sha256", sha256[..2], sha256[2..4], sha256));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_services))
        {
            await service.DisposeAsync();
        }

        Api?.Dispose();
        await _broker.DisposeAsync();
        if (CatalogConnectionString is not null)
        {
            // The catalogue benchmark leaves a million rows behind: not kept between runs.
            var database = new MySqlConnectionStringBuilder(CatalogConnectionString).Database;
            await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(CatalogConnectionString) { Database = "" }.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new MySqlCommand($"DROP DATABASE IF EXISTS `{database}`", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (Directory.Exists(BlobRoot))
        {
            Directory.Delete(BlobRoot, recursive: true);
        }
    }

    async Task<ServiceProcess> Start(string name, string project, IReadOnlyDictionary<string, string> environment, Uri? address = null)
    {
        var service = await ServiceProcess.StartAsync($"bench-{name}", project, environment, address);
        _services.Add(service);
        return service;
    }
}
