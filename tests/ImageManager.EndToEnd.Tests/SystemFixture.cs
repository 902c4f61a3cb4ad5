using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Npgsql;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// The whole system on the real infrastructure: the four services as processes, a virtual host and databases of
/// their own, a blob store folder of their own, and the two local Glance instances as VIMs.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    readonly List<ServiceProcess> _services = [];
    ServiceProvider? _observer;

    public RabbitMqBroker Broker { get; } = new();
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The Distribution service itself, for its <c>/internal</c> routes (which the Api does not forward).</summary>
    public HttpClient DistributionService { get; private set; } = null!;
    public string BlobRoot { get; private set; } = null!;

    /// <summary>A bus on the system's virtual host, as SDC or SO would have.</summary>
    public IBus Bus => _observer!.GetRequiredService<IBus>();
    public GlanceFaultProxy FaultyGlance { get; private set; } = null!;
    public ImageSourceServer Downloads { get; } = new();

    /// <summary>The certificate authority Validation trusts in this system.</summary>
    public TestAuthority Authority { get; } = new();

    /// <summary>The most bytes an import may bring in this system.</summary>
    public const int ImportLimit = 16 * 1024 * 1024;

    string CatalogConnection => Infrastructure.MariaDbDatabase($"imagemanager_catalog_e2e_{_runId}");

    /// <summary>The Distribution service's database, for tests that check what is stored (and what is not).</summary>
    public string DistributionConnection => Infrastructure.PostgresDatabase($"imagemanager_distribution_e2e_{_runId}");

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        BlobRoot = Directory.CreateDirectory(Path.Combine(RepositoryPaths.TestOutput, $"blobs-{_runId}")).FullName;
        FaultyGlance = new GlanceFaultProxy(Infrastructure.Glance1);

        // Known before the Api starts: the Distribution tells web-download VIMs to pull from it.
        var apiAddress = ServiceProcess.FreeAddress();
        var common = new Dictionary<string, string>
        {
            ["RabbitMq__Uri"] = Broker.Uri.ToString(),
            ["BlobStore__Root"] = BlobRoot,
            ["DataProtection__KeysDirectory"] = BlobRoot + "-keys",
            ["ConnectionStrings__Catalog"] = CatalogConnection,
            ["ConnectionStrings__Distribution"] = DistributionConnection,
            // Short waits so the retry path runs within a test; production waits are minutes.
            ["Distribution__RetryIntervals__0"] = "00:00:01",
            ["Distribution__RetryIntervals__1"] = "00:00:01",
            ["Distribution__RetryIntervals__2"] = "00:00:02",
            // Tests send to a dead VIM more than once (a distribution, then its retry) and expect each to fail after its retries; the circuit
            // breaker (which would make later uploads wait for the VIM instead) is tested on its own.
            ["Distribution__CircuitBreakerThreshold"] = "1000",
            ["Scheduler__Name"] = $"e2e-{_runId}",
            // Reconciliation runs when a test asks for it (POST /internal/v1/reconciliation/run), not on a schedule.
            ["Reconciliation__Enabled"] = "false",
            // Imports may come from the test's own download site on 127.0.0.1, over plain HTTP.
            ["Signatures__TrustStore"] = Authority.TrustStore,
            ["Import__AllowedSchemes__0"] = "http",
            ["Import__AllowedHosts__0"] = "127.0.0.1",
            ["Import__MaxBytes"] = ImportLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Distribution__ImageDownloadBaseUrl"] = apiAddress.ToString(),
        };

        await ServiceProcess.RunToCompletionAsync("ImageManager.Catalog", common, "migrate");
        await ServiceProcess.RunToCompletionAsync("ImageManager.Distribution", common, "migrate");

        var catalog = await Start("catalog", "ImageManager.Catalog", common);
        var distribution = await Start("distribution", "ImageManager.Distribution", common);
        await Start("validation", "ImageManager.Validation", common);
        var api = await Start("api", "ImageManager.Api", new Dictionary<string, string>(common)
        {
            ["Downstream__Catalog"] = catalog.Address.ToString(),
            ["Downstream__Distribution"] = distribution.Address.ToString(),
        }, apiAddress);
        Api = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromMinutes(5) };
        DistributionService = new HttpClient { BaseAddress = distribution.Address, Timeout = TimeSpan.FromMinutes(5) };

        _observer = new ServiceCollection()
            .AddMassTransit(x =>
            {
                x.DisableUsageTelemetry();
                x.AddConsumer<BusRecorder>();
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(Broker.Uri);
                    cfg.ReceiveEndpoint($"e2e-observer-{_runId}", e => e.ConfigureConsumer<BusRecorder>(context));
                });
            })
            .BuildServiceProvider();
        await _observer.GetRequiredService<IBusControl>().StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_observer is not null)
        {
            await _observer.GetRequiredService<IBusControl>().StopAsync();
            await _observer.DisposeAsync();
        }

        foreach (var service in Enumerable.Reverse(_services))
        {
            await service.DisposeAsync();
        }

        Api?.Dispose();
        DistributionService?.Dispose();
        FaultyGlance?.Dispose();
        Downloads.Dispose();
        Authority.Dispose();
        await DropDatabasesAsync();
        await Broker.DisposeAsync();
        if (Directory.Exists(BlobRoot))
        {
            Directory.Delete(BlobRoot, recursive: true);
        }
    }

    /// <summary>Registers a VIM with a name unique to this run and returns its id.</summary>
    public Task<string> RegisterGlanceAsync(string name, Uri endpoint, string? uploadMode = null) =>
        RegisterVimAsync(name, endpoint, new Dictionary<string, object?> { ["region"] = "e2e", ["tags"] = new[] { "test" }, ["uploadMode"] = uploadMode });

    /// <summary>Registers a VIM of any type with a name unique to this run; <paramref name="settings"/> adds to id, type and endpoint.</summary>
    public async Task<string> RegisterVimAsync(string name, Uri endpoint, IReadOnlyDictionary<string, object?>? settings = null, string type = "openstack")
    {
        var id = $"e2e_{name}-{_runId}";
        var body = new JsonObject { ["id"] = id, ["type"] = type, ["endpoint"] = endpoint.ToString() };
        foreach (var (key, value) in settings ?? new Dictionary<string, object?>())
        {
            body[key] = System.Text.Json.JsonSerializer.SerializeToNode(value);
        }

        using var response = await Api.PostAsJsonAsync("/api/v1/vims", body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Registering VIM {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return id;
    }

    /// <summary>A name unique to this run, for regions, tags and the like.</summary>
    public string Unique(string name) => $"{name}-{_runId}";

    /// <summary>Creates an image record and returns its id.</summary>
    public async Task<Guid> CreateImageAsync(string name, string? sha256 = null, string? sha512 = null, object? signature = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/images", new
        {
            name = $"{name}-{_runId}",
            version = "1.0.0",
            kind = "vm-image",
            diskFormat = "raw",
            containerFormat = "bare",
            vendor = "e2e",
            sha256,
            sha512,
            signature,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating image {name} failed: {(int)response.StatusCode} {body}");
        }

        return Guid.Parse(body!["id"]!.GetValue<string>());
    }

    /// <summary>Uploads the bytes with one PUT and expects them accepted.</summary>
    public async Task UploadAsync(Guid imageId, TestImage image)
    {
        using var response = await Api.PutAsync($"/api/v1/images/{imageId}/file", image.Content());
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Upload of {imageId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Waits until the image has one of <paramref name="statuses"/> (a 404 while it is not catalogued yet counts as none).</summary>
    public Task<JsonObject> WaitForStatusAsync(Guid imageId, params string[] statuses) =>
        Eventually.Get(
            () => GetJsonAsync($"/api/v1/images/{imageId}"),
            image => image["id"] is not null && statuses.Contains(image["status"]!.GetValue<string>()),
            TimeSpan.FromSeconds(90),
            $"image {imageId} to be {string.Join(" or ", statuses)}");

    /// <summary>Asks for a distribution of the image to the VIMs; returns the distribution id.</summary>
    public async Task<Guid> DistributeAsync(Guid imageId, params string[] vimIds)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"distribute answered {(int)response.StatusCode}: {body}");
        return Guid.Parse(body!["distributionId"]!.GetValue<string>());
    }

    /// <summary>Asks for a distribution with a body of the caller's making (selector, strategy); returns the distribution id.</summary>
    public async Task<Guid> DistributeAsync(object request)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/distributions", request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"distribute answered {(int)response.StatusCode}: {body}");
        return Guid.Parse(body!["distributionId"]!.GetValue<string>());
    }

    public Task<JsonObject> WaitForDistributionAsync(Guid distributionId) =>
        Eventually.Get(
            () => GetJsonAsync($"/api/v1/distributions/{distributionId}"),
            distribution => distribution["state"]?.GetValue<string>() == "completed",
            TimeSpan.FromSeconds(90),
            $"distribution {distributionId} to complete");

    /// <summary>An image as a Glance VIM shows it, or null when Glance does not have it.</summary>
    public static async Task<JsonObject?> FindGlanceImageAsync(Uri glance, string id)
    {
        using var http = new HttpClient { BaseAddress = glance };
        using var response = await http.GetAsync($"/v2/images/{id}");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonObject>();
    }

    public static async Task<JsonObject> ReadGlanceImageAsync(Uri glance, string id) =>
        await FindGlanceImageAsync(glance, id) ?? throw new InvalidOperationException($"Glance at {glance} has no image {id}.");

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        return await response.Content.ReadFromJsonAsync<JsonObject>() ?? [];
    }

    async Task<ServiceProcess> Start(string name, string project, IReadOnlyDictionary<string, string> environment, Uri? address = null)
    {
        var service = await ServiceProcess.StartAsync($"e2e-{name}", project, environment, address);
        _services.Add(service);
        return service;
    }

    async Task DropDatabasesAsync()
    {
        try
        {
            var mariaDb = new MySqlConnectionStringBuilder(CatalogConnection);
            var catalogDatabase = mariaDb.Database;
            mariaDb.Database = "";
            await using (var connection = new MySqlConnection(mariaDb.ConnectionString))
            {
                await connection.OpenAsync();
                await using var drop = new MySqlCommand($"DROP DATABASE IF EXISTS `{catalogDatabase}`", connection);
                await drop.ExecuteNonQueryAsync();
            }

            var postgres = new NpgsqlConnectionStringBuilder(DistributionConnection);
            var distributionDatabase = postgres.Database;
            postgres.Database = "postgres";
            NpgsqlConnection.ClearAllPools();
            await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
            {
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{distributionDatabase}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (Exception exception) when (exception is MySqlException or NpgsqlException)
        {
            // Leaving a test database behind is untidy, not wrong; the next run uses new names.
        }
    }
}
