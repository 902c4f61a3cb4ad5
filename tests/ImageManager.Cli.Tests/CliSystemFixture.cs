using System.Globalization;
using ImageManager.Testing;

namespace ImageManager.Cli.Tests;

/// <summary>
/// The whole system (<see cref="ServiceSystem"/>) on the shared local infrastructure, and the CLI run against it as a
/// process with the system's address and admin key, from a home folder of its own.
/// </summary>
public sealed class CliSystemFixture() : ServiceSystem("cli", new RabbitMqBroker())
{
    readonly SemaphoreSlim _vimsOnce = new(1, 1);
    (string, string)? _glanceVims;
    int _names;

    /// <summary>A folder for the files the tests upload and the CLI's home (no config file unless a test writes one).</summary>
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("imagemanager-cli-tests-").FullName;

    /// <summary>Where <c>image import</c> fetches from (the Api may import over http from 127.0.0.1 here).</summary>
    public DownloadSite Downloads { get; } = new();

    public string Home => Directory.CreateDirectory(Path.Combine(WorkDirectory, "home")).FullName;

    /// <summary>The CLI with <c>--url</c> and <c>--api-key</c> (the admin's) before <paramref name="arguments"/>.</summary>
    public Task<CliResult> RunAsync(params string[] arguments) => StartAsAdmin(arguments).WaitAsync();

    /// <summary>The CLI as <see cref="RunAsync"/> runs it, left running for the test to watch or stop.</summary>
    public CliProcess StartAsAdmin(params string[] arguments) =>
        CliProcess.Start(["--url", ApiAddress.ToString(), "--api-key", AdminKey, .. arguments], Home);

    /// <summary>The CLI as <see cref="RunAsync"/> runs it, in a terminal <paramref name="columns"/> wide (<c>COLUMNS</c>).</summary>
    public Task<CliResult> RunInColumnsAsync(int columns, params string[] arguments) =>
        CliProcess.Start(["--url", ApiAddress.ToString(), "--api-key", AdminKey, .. arguments], Home,
            new Dictionary<string, string> { ["COLUMNS"] = columns.ToString(CultureInfo.InvariantCulture) }).WaitAsync();

    /// <summary>The CLI with exactly <paramref name="arguments"/> and <paramref name="environment"/>: for the tests of credentials.</summary>
    public Task<CliResult> RunPlainAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        CliProcess.Start(arguments, Home, environment).WaitAsync();

    /// <summary>Writes <paramref name="image"/>'s bytes to a file of its own; returns its path.</summary>
    public string WriteFile(TestImage image)
    {
        var path = Path.Combine(WorkDirectory, Guid.NewGuid().ToString("N") + ".img");
        File.WriteAllBytes(path, image.Bytes);
        return path;
    }

    /// <summary>An image validated and active, made through the Api (for tests about what comes after).</summary>
    public async Task<Guid> ActiveImageAsync(string imageName)
    {
        var image = TestImage.Random(256 * 1024);
        var id = await CreateImageAsync(imageName, sha256: image.Sha256);
        await UploadAsync(id, image);
        await WaitForStatusAsync(id, "active");
        return id;
    }

    /// <summary>The two local Glance instances, registered once for all tests.</summary>
    public async Task<(string First, string Second)> GlanceVimsAsync()
    {
        await _vimsOnce.WaitAsync();
        try
        {
            return _glanceVims ??= (await RegisterGlanceAsync("glance1", Infrastructure.Glance1), await RegisterGlanceAsync("glance2", Infrastructure.Glance2));
        }
        finally
        {
            _vimsOnce.Release();
        }
    }

    /// <summary>A name unique to this run and call, for images and consumer groups.</summary>
    public string Name(string prefix) => $"{prefix}-{RunId}-{Interlocked.Increment(ref _names).ToString(CultureInfo.InvariantCulture)}";

    protected override void Configure(IDictionary<string, string> settings)
    {
        // A dead VIM's target fails within seconds (production retries over minutes), and keeps failing (no circuit).
        settings["Distribution__RetryIntervals__0"] = "00:00:01";
        settings["Distribution__RetryIntervals__1"] = "00:00:01";
        settings["Distribution__RetryIntervals__2"] = "00:00:01";
        settings["Distribution__CircuitBreakerThreshold"] = "1000";
        settings["Import__AllowedSchemes__0"] = "http";
        settings["Import__AllowedHosts__0"] = "127.0.0.1";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _vimsOnce.Dispose();
        Downloads.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
