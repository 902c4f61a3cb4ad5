using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.Topology;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Npgsql;
using Xunit;

namespace ImageManager.Testing;

/// <summary>
/// The whole system on the real infrastructure, started from its declaration (<see cref="SystemDeclaration"/>): the
/// five services as processes on free ports, a RabbitMQ virtual host and databases of their own, a blob store folder of
/// its own, and an observer on the bus (<see cref="BusRecorder"/>). The fixtures derive from it and add their settings
/// (<see cref="Configure"/>) and their peers; the helpers below speak to the Api as a client would. With
/// <paramref name="blobsInS3"/>, the blob store is a bucket of its own in the local Swift (<see cref="Bucket"/>) instead of the folder.
/// </summary>
public abstract class ServiceSystem(string name, RabbitMqBroker broker, bool blobsInS3 = false) : IAsyncLifetime
{
    readonly object _brokerUsersLock = new();
    DeclaredSystem? _declaration;
    RunningSystem? _system;
    ServiceProvider? _observer;
    Task<Uri>? _sdcUri;
    Task<Uri>? _soUri;

    /// <summary>Unique to this run: in VIM ids, image names, database and scheduler names.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];
    public RabbitMqBroker Broker { get; } = broker;
    /// <summary>The Api, as the installation's bootstrap admin (see <see cref="AdminKey"/>).</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The key the Api accepts as admin before any key exists (<c>Authentication:BootstrapAdminKey</c>); made for this run.</summary>
    public string AdminKey { get; } = TestSecrets.NewBootstrapKey();

    /// <summary>The secret the Api presents to the services behind it (<c>Internal:ServiceToken</c>); made for this run.</summary>
    public string ServiceToken { get; } = TestSecrets.NewServiceToken();

    /// <summary>The Distribution service itself, for its <c>/internal</c> routes (which the Api does not forward).</summary>
    public HttpClient DistributionService { get; private set; } = null!;
    /// <summary>The Catalog service itself, with the service token, as the Api calls it.</summary>
    public HttpClient CatalogService { get; private set; } = null!;
    public Uri ApiAddress { get; private set; } = null!;
    public string BlobRoot { get; private set; } = null!;

    /// <summary>The bucket the services keep their blobs in (<c>BlobStore__Kind=s3</c>), when the system was made with its blobs in S3.</summary>
    public S3TestBucket? Bucket { get; private set; }

    /// <summary>
    /// What the Distribution's and the Notifications' key rings are encrypted to (<c>DataProtection:Certificate</c>):
    /// configuration made for this run, outside its databases, blob root and key folder.
    /// </summary>
    public TestKeyRingCertificate KeyRingCertificate { get; } = new();

    /// <summary>
    /// A bus on the system's virtual host, as SDC or SO would have: it connects as broker user <see cref="PartnerUser"/>
    /// (tenant <c>partner</c>, role <c>operator</c>), and names that user on what it sends.
    /// </summary>
    public IBus Bus => _observer!.GetRequiredService<IBus>();

    /// <summary>The broker user of <see cref="Bus"/>, configured as an outside sender.</summary>
    public string PartnerUser => Broker.UserName("partner");

    /// <summary>A broker user configured as SDC (tenant <c>sdc</c>, role <c>onboarder</c>); made when a test first asks (<see cref="SdcUriAsync"/>).</summary>
    public string SdcUser => Broker.UserName("sdc");

    /// <summary>The URI to connect as <see cref="SdcUser"/>.</summary>
    public Task<Uri> SdcUriAsync()
    {
        lock (_brokerUsersLock)
        {
            return _sdcUri ??= Broker.AddUserAsync("sdc");
        }
    }

    /// <summary>A broker user configured as SO (tenant <c>so</c>, role <c>distributor</c>); made when a test first asks (<see cref="SoUriAsync"/>).</summary>
    public string SoUser => Broker.UserName("so");

    /// <summary>The URI to connect as <see cref="SoUser"/>.</summary>
    public Task<Uri> SoUriAsync()
    {
        lock (_brokerUsersLock)
        {
            return _soUri ??= Broker.AddUserAsync("so");
        }
    }

    /// <summary>The service processes by name: <c>catalog</c>, <c>distribution</c>, <c>validation</c>, <c>notifications</c>, <c>api</c>.</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Services => _system?.Processes ?? new Dictionary<string, ServiceProcess>();

    public string CatalogConnection => DatabaseOf("catalog");

    /// <summary>
    /// The settings the declared system gives every service (connection strings, <c>BlobStore__Root</c>,
    /// <c>DataProtection__KeysDirectory</c>...): what a tool that works on the system's data, like <c>tools/backup.sh</c>, is handed.
    /// </summary>
    public IReadOnlyDictionary<string, string> SharedSettings =>
        (_declaration ?? throw new InvalidOperationException("The system is declared when the fixture starts."))["api"].Settings;

    /// <summary>The Data Protection key ring's folder (<c>DataProtection:KeysDirectory</c>).</summary>
    public string? KeysDirectory => SharedSettings.GetValueOrDefault("DataProtection__KeysDirectory");

    /// <summary>The Distribution service's database, for tests that check what is stored (and what is not).</summary>
    public string DistributionConnection => DatabaseOf("distribution");

    /// <summary>The Notifications service's database (webhook subscriptions and deliveries).</summary>
    public string NotificationsConnection => DatabaseOf("notifications");

    public virtual async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        var partner = await Broker.AddUserAsync("partner");
        BlobRoot = Directory.CreateDirectory(Path.Combine(RepositoryPaths.TestOutput, $"blobs-{RunId}")).FullName;
        Bucket = blobsInS3 ? await S3TestBucket.CreateAsync() : null;

        var settings = new Dictionary<string, string>
        {
            ["Scheduler__Name"] = $"{name}-{RunId}",
            // Reconciliation runs when a test asks for it (POST /internal/v1/reconciliation/run), not on a schedule.
            ["Reconciliation__Enabled"] = "false",
            // The services' logs in .local/test-output/ tell what happened when; a test that fails is read there.
            ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
            // The systems outside Image Manager that may send it commands on the bus, by broker user.
            [$"BusSenders__Senders__{PartnerUser}__Tenant"] = "partner",
            [$"BusSenders__Senders__{PartnerUser}__Role"] = "operator",
            [$"BusSenders__Senders__{SdcUser}__Tenant"] = "sdc",
            [$"BusSenders__Senders__{SdcUser}__Role"] = "onboarder",
            [$"BusSenders__Senders__{SoUser}__Tenant"] = "so",
            [$"BusSenders__Senders__{SoUser}__Role"] = "distributor",
        };
        Configure(settings);

        var topology = Shape(LocalTopology.Options(Broker, $"_{name}_{RunId}", BlobRoot, ServiceToken, AdminKey, KeyRingCertificate.Path) with
        {
            EnvironmentName = "Development",
            Settings = settings,
            BlobsInS3 = Bucket is null ? null : new BlobBucket(Infrastructure.S3Endpoint, Infrastructure.S3AccessKey, Infrastructure.S3SecretKey, Bucket.Name),
        });
        _declaration = SystemDeclaration.Declare(topology);
        _system = await RunningSystem.StartAsync(_declaration, RepositoryPaths.TestOutput, $"{name}-");
        Api = ClientOf(_declaration["api"].Address, AdminKey);
        DistributionService = ClientOf(_declaration["distribution"].Address, ServiceToken);
        ApiAddress = _declaration["api"].Address;
        CatalogService = ClientOf(_declaration["catalog"].Address, ServiceToken);

        _observer = new ServiceCollection()
            .AddMassTransit(x =>
            {
                x.DisableUsageTelemetry();
                x.AddConsumer<BusRecorder>();
                x.UsingRabbitMq((context, cfg) =>
                {
                    // On a cluster, the observer too moves to another node when one goes, and its queue is replicated.
                    cfg.Host(partner, host =>
                    {
                        if (topology.RabbitMqNodes.Count > 0)
                        {
                            host.UseCluster(cluster => topology.RabbitMqNodes.ToList().ForEach(cluster.Node));
                        }
                    });
                    cfg.StampBrokerUser(partner);
                    cfg.ReceiveEndpoint($"{name}-observer-{RunId}", e =>
                    {
                        if (topology.QuorumQueues)
                        {
                            e.SetQuorumQueue();
                        }

                        e.ConfigureConsumer<BusRecorder>(context);
                    });
                });
            })
            .BuildServiceProvider();
        await _observer.GetRequiredService<IBusControl>().StartAsync();
    }

    /// <summary>Stops every service, the last started first; the databases, blobs, keys, certificate and the broker stay as they are.</summary>
    public async Task StopServicesAsync()
    {
        if (_system is not null)
        {
            await _system.DisposeAsync();
            _system = null;
        }
    }

    /// <summary>
    /// Starts the declared system again after <see cref="StopServicesAsync"/>, on the same addresses and with the same
    /// settings: the migrations, then every service; its logs under <c>{name}-{logTag}-</c>.
    /// </summary>
    public async Task StartServicesAsync(string logTag)
    {
        if (_system is not null)
        {
            throw new InvalidOperationException("The services are running; stop them first.");
        }

        _system = await RunningSystem.StartAsync(_declaration!, RepositoryPaths.TestOutput, $"{name}-{logTag}-");
    }

    public virtual async Task DisposeAsync()
    {
        if (_observer is not null)
        {
            await _observer.GetRequiredService<IBusControl>().StopAsync();
            await _observer.DisposeAsync();
        }

        if (_system is not null)
        {
            await _system.DisposeAsync();
        }

        Api?.Dispose();
        DistributionService?.Dispose();
        CatalogService?.Dispose();
        await DropDatabasesAsync();
        await Broker.DisposeAsync();
        if (Directory.Exists(BlobRoot))
        {
            Directory.Delete(BlobRoot, recursive: true);
        }

        if (_declaration is not null && KeysDirectory is not null && Directory.Exists(KeysDirectory))
        {
            Directory.Delete(KeysDirectory, recursive: true);
        }

        if (Bucket is not null)
        {
            await Bucket.DisposeAsync();
        }

        KeyRingCertificate.Dispose();
    }

    /// <summary>The shape of the system over the local single-node one: another infrastructure, replicas, a balancer.</summary>
    protected virtual TopologyOptions Shape(TopologyOptions options) => options;

    /// <summary>Settings every service gets over the declared ones (environment variables, <c>Section__Key</c>); add or change them here.</summary>
    protected virtual void Configure(IDictionary<string, string> settings)
    {
    }

    /// <summary>The id under which the VIM called <paramref name="vimName"/> in the test is registered.</summary>
    public string VimIdOf(string vimName) => $"{name}_{vimName}-{RunId}";

    /// <summary>A name unique to this run, for regions, tags and the like.</summary>
    public string Unique(string value) => $"{value}-{RunId}";

    /// <summary>Registers an OpenStack (Glance API) VIM with a name unique to this run, in region <c>{name}</c>, tagged <c>test</c>; returns its id.</summary>
    public Task<string> RegisterGlanceAsync(string vimName, Uri endpoint, string? uploadMode = null) =>
        RegisterVimAsync(vimName, endpoint, new Dictionary<string, object?> { ["region"] = name, ["tags"] = new[] { "test" }, ["uploadMode"] = uploadMode });

    /// <summary>Registers a VIM of any type with a name unique to this run; <paramref name="settings"/> adds to id, type and endpoint.</summary>
    public async Task<string> RegisterVimAsync(string vimName, Uri endpoint, IReadOnlyDictionary<string, object?>? settings = null, string type = "openstack")
    {
        var id = VimIdOf(vimName);
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

    /// <summary>Creates an image record and returns its id.</summary>
    public async Task<Guid> CreateImageAsync(string imageName, string? sha256 = null, string? sha512 = null, object? signature = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/images", new
        {
            name = $"{imageName}-{RunId}",
            version = "1.0.0",
            kind = "vm-image",
            diskFormat = "raw",
            containerFormat = "bare",
            vendor = name,
            sha256,
            sha512,
            signature,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating image {imageName} failed: {(int)response.StatusCode} {body}");
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
    public Task<JsonObject> WaitForStatusAsync(Guid imageId, params string[] statuses) => WaitForStatusAsync(imageId, TimeSpan.FromSeconds(90), statuses);

    /// <summary>
    /// Waits as long as <paramref name="within"/> for the image to have one of <paramref name="statuses"/>. When it does
    /// not, the failure quotes what the services logged about the image: CI shows a failure's message, not the logs.
    /// </summary>
    public async Task<JsonObject> WaitForStatusAsync(Guid imageId, TimeSpan within, params string[] statuses)
    {
        try
        {
            return await Eventually.Get(
                () => PollJsonAsync($"/api/v1/images/{imageId}"),
                image => image["id"] is not null && statuses.Contains(image["status"]!.GetValue<string>()),
                within,
                $"image {imageId} to be {string.Join(" or ", statuses)}");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\nWhat the services logged about it:\n{string.Join('\n', LogLinesMentioning(imageId.ToString()))}", timeout);
        }
    }

    /// <summary>
    /// The log entries of the services that mention <paramref name="text"/> (at most 40 per service), each with its
    /// service's name and its entry's first line, which has the time.
    /// </summary>
    public IReadOnlyList<string> LogLinesMentioning(string text) =>
        Services.Values.SelectMany(service => EntriesMentioning(service.LogPath, text).TakeLast(40).Select(entry => $"{service.Name}: {entry}")).ToList();

    /// <summary>Reads a log while its service still writes to it.</summary>
    static IEnumerable<string> EntriesMentioning(string path, string text)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        var head = "";
        while (reader.ReadLine() is { } line)
        {
            var continues = line.StartsWith(' ');
            if (line.Contains(text, StringComparison.Ordinal))
            {
                yield return continues ? $"{head} {line.Trim()}" : line;
            }

            head = continues ? head : line;
        }
    }

    /// <summary>Asks for a distribution of the image to the VIMs; returns the distribution id.</summary>
    public Task<Guid> DistributeAsync(Guid imageId, params string[] vimIds) => DistributeAsync(new { imageId, vimIds });

    /// <summary>Asks for a distribution with a body of the caller's making (selector, strategy); returns the distribution id.</summary>
    public async Task<Guid> DistributeAsync(object request)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/distributions", request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"distribute answered {(int)response.StatusCode}: {body}");
        return Guid.Parse(body!["distributionId"]!.GetValue<string>());
    }

    public Task<JsonObject> WaitForDistributionAsync(Guid distributionId) => WaitForDistributionAsync(distributionId, TimeSpan.FromSeconds(90));

    public Task<JsonObject> WaitForDistributionAsync(Guid distributionId, TimeSpan within) =>
        Eventually.Get(
            () => PollJsonAsync($"/api/v1/distributions/{distributionId}"),
            distribution => distribution["state"]?.GetValue<string>() == "completed",
            within,
            $"distribution {distributionId} to complete");

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        return await response.Content.ReadFromJsonAsync<JsonObject>() ?? [];
    }

    /// <summary>
    /// What a poll reads: the JSON answer, or, when there is none (a balancer's error page while replicas restart, a
    /// connection cut), an object saying so, which no wait takes for done.
    /// </summary>
    public async Task<JsonObject> PollJsonAsync(string path)
    {
        try
        {
            using var response = await Api.GetAsync(path);
            return response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
                ? await response.Content.ReadFromJsonAsync<JsonObject>() ?? []
                : new JsonObject { ["unreadableAnswer"] = (int)response.StatusCode };
        }
        catch (HttpRequestException exception)
        {
            return new JsonObject { ["noAnswer"] = exception.Message };
        }
    }

    /// <summary>A client of the Api that presents <paramref name="credential"/> (an API key or a token); none when it is <c>null</c>.</summary>
    public HttpClient ApiClient(string? credential) => ClientOf(ApiAddress, credential);

    /// <summary>The Api as a caller of <paramref name="tenant"/> with <paramref name="role"/>: a new API key made by the admin.</summary>
    public async Task<HttpClient> ClientForAsync(string tenant, string role)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/api-keys", new { name = Unique($"{tenant}-{role}"), tenant, roles = new[] { role } });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Making a {role} key of {tenant} answered {(int)response.StatusCode}: {body}");
        }

        return ApiClient(body!["key"]!.GetValue<string>());
    }

    static HttpClient ClientOf(Uri address, string? credential)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        if (credential is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        }

        return client;
    }

    string DatabaseOf(string service) =>
        (_declaration ?? throw new InvalidOperationException("The system is declared when the fixture starts."))[service].ConnectionString!;

    /// <summary>Drops the system's own databases (the Catalog's, the Distribution's, the Notifications'); a failure is left unsaid.</summary>
    public async Task DropDatabasesAsync()
    {
        if (_declaration is null)
        {
            return;
        }

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

            await Infrastructure.DropPostgresDatabasesAsync(DistributionConnection, NotificationsConnection);
        }
        catch (Exception exception) when (exception is MySqlException or NpgsqlException)
        {
            // Leaving a test database behind is untidy, not wrong; the next run uses new names.
        }
    }
}
