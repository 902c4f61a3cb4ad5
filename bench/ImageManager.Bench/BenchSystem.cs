using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using ImageManager.Topology;
using MySqlConnector;

namespace ImageManager.Bench;

/// <summary>
/// The services started from the system's declaration and their Release builds against the local infrastructure, on their
/// own vhost and databases; highly available (<see cref="HighlyAvailableTopology"/>) on the clustered set when asked.
/// </summary>
/// <param name="settings">Settings of the services besides the bench's own (<c>--setting Name__Key=value</c>), e.g. a budget to measure under.</param>
/// <param name="scanning">False: no clamd declared and <c>Scanning__Required=false</c>, so uploads are validated without the malware scan.</param>
public sealed class BenchSystem(bool highlyAvailable = false, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<string>? regionalDistributions = null,
    bool scanning = true) : IAsyncDisposable
{
    /// <summary>Uploads in flight per Distribution process in the bench (the parallel reference loop runs as many at once).</summary>
    public const int ConcurrentUploads = 256;

    readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    readonly RabbitMqBroker _broker = highlyAvailable ? RabbitMqBroker.Cluster() : new();
    RunningSystem? _system;
    S3TestBucket? _bucket;
    /// <summary>What the key rings are encrypted to, as in an installation (Production refuses to start without it).</summary>
    readonly TestKeyRingCertificate _keyRingCertificate = new();

    public HttpClient Api { get; private set; } = null!;
    public ServiceProcess ApiProcess { get; private set; } = null!;
    public string BlobRoot { get; private set; } = null!;
    public string CatalogConnectionString { get; private set; } = null!;
    public string DistributionConnectionString { get; private set; } = null!;

    /// <summary>The service processes by name (api, catalog, distribution, validation, notifications).</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Services => _system!.Processes;
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

    /// <summary>A client of one process: an Api replica with the admin key, any other service with the service token.</summary>
    public HttpClient ClientOf(string instance, Uri address)
    {
        var client = new HttpClient { BaseAddress = address };
        var credential = instance == "api" || instance.StartsWith("api-", StringComparison.Ordinal) ? _adminKey : ServiceToken;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    public async Task StartAsync()
    {
        await _broker.InitializeAsync();
        BlobRoot = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, ".local", "bench", $"blobs-{_runId}")).FullName;
        var options = LocalTopology.Options(_broker, $"_bench_{_runId}", BlobRoot, ServiceToken, _adminKey, _keyRingCertificate.Path);
        if (!scanning)
        {
            options = options with { Clamd = null };
        }

        _bucket = highlyAvailable ? await S3TestBucket.CreateAsync() : null;
        var declaration = SystemDeclaration.Declare((_bucket is not null ? HighlyAvailableTopology.Apply(options, _bucket.Name) : options) with
        {
            RegionalDistributions = regionalDistributions ?? [],
            Settings = new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                // Ten thousand sites 200 ms away: uploads in flight are mostly waiting, so allow many (each VIM's limit still holds).
                ["Distribution__ConcurrentUploads"] = ConcurrentUploads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Without clamd the Validation refuses to start unless scanning is optional.
                ["Scanning__Required"] = scanning ? "true" : "false",
            }.Concat(settings ?? new Dictionary<string, string>()).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        });
        CatalogConnectionString = declaration["catalog"].ConnectionString!;
        DistributionConnectionString = declaration["distribution"].ConnectionString!;
        CatalogAddress = declaration["catalog"].Address;
        _system = await RunningSystem.StartAsync(declaration, RepositoryPaths.TestOutput, highlyAvailable ? "bench-ha-" : "bench-");
        ApiProcess = _system.Processes["api"];
        // Highly available, through HAProxy's front, as users reach it.
        Api = new HttpClient { BaseAddress = declaration["api"].Address, Timeout = TimeSpan.FromMinutes(30) };
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
        if (_system is not null)
        {
            await _system.DisposeAsync();
        }

        Api?.Dispose();
        _keyRingCertificate.Dispose();
        await _broker.DisposeAsync();
        if (_bucket is not null)
        {
            await _bucket.DisposeAsync();
        }

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
}
