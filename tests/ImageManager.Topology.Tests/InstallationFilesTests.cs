using CliWrap;
using CliWrap.Buffered;
using ImageManager.Testing;

namespace ImageManager.Topology.Tests;

/// <summary>
/// The highly available declaration as HAProxy's configuration and systemd units: the tools that will read them
/// (<c>haproxy -c</c>, <c>systemd-analyze verify</c>) accept them, and they say what the declaration says.
/// </summary>
public sealed class InstallationFilesTests : IDisposable
{
    readonly string _directory = Directory.CreateDirectory(Path.Combine(RepositoryPaths.TestOutput, $"installation-{Guid.NewGuid():N}")).FullName;

    static DeclaredSystem Declaration() => SystemDeclaration.Declare(new TopologyOptions
    {
        RabbitMqUri = "amqp://guest:guest@127.0.0.1:5681/",
        RabbitMqNodes = ["127.0.0.1:5681", "127.0.0.1:5682", "127.0.0.1:5683"],
        QuorumQueues = true,
        MariaDb = "Server=127.0.0.1;Port=3310;User=imagemanager;Password=secret-password;Database=imagemanager_catalog",
        Postgres = "Host=127.0.0.1:5441,127.0.0.1:5442;Username=imagemanager;Password=secret-password;Database=imagemanager_distribution;Target Session Attributes=primary",
        BlobRoot = "/var/lib/imagemanager/blobs",
        ServiceToken = "a-service-token",
        KeyRingCertificate = "/etc/imagemanager/data-protection.pfx",
        Clamd = "tcp://10.0.0.9:3310",
        Balanced = true,
        Replicas = new Dictionary<string, int> { ["catalog"] = 2, ["distribution"] = 2, ["validation"] = 2, ["notifications"] = 2, ["api"] = 2 },
    });

    [Fact]
    public void When_the_system_is_declared_the_validation_gets_a_trust_store_beside_the_blobs_and_nothing_is_written()
    {
        var validation = Declaration()["validation"];

        Assert.Equal("/var/lib/imagemanager/blobs-trust", validation.Settings["Signatures__TrustStore"]);
        Assert.False(Directory.Exists("/var/lib/imagemanager/blobs-trust"));
    }

    [Fact]
    public async Task When_a_balanced_system_is_written_haproxy_accepts_its_configuration_with_a_front_per_service_and_every_replica_behind_it()
    {
        var declaration = Declaration();
        var path = Path.Combine(_directory, "haproxy.cfg");
        await File.WriteAllTextAsync(path, BalancerConfiguration.Render(declaration));

        var (exitCode, output) = await RunAsync("/usr/sbin/haproxy", "-c", "-f", path);

        Assert.True(exitCode == 0, $"haproxy -c refused the configuration: {output}");
        var text = await File.ReadAllTextAsync(path);
        foreach (var service in declaration.Services)
        {
            Assert.Contains($"bind 127.0.0.1:{service.BalancedAddress!.Port}", text, StringComparison.Ordinal);
            Assert.All(service.Addresses, replica => Assert.Contains($"127.0.0.1:{replica.Port} check", text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task When_the_declaration_is_written_as_systemd_units_systemd_accepts_every_one_and_secrets_stay_in_0600_environment_files()
    {
        var files = SystemdUnits.Render(Declaration(), "/opt/imagemanager");
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(_directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text);
        }

        var units = files.Keys.Where(name => name.StartsWith("systemd/", StringComparison.Ordinal)).Select(name => Path.Combine(_directory, name)).ToArray();
        Assert.Equal(3 + (5 * 2), units.Length); // three migrations, two processes of each of the five services

        var (exitCode, output) = await RunAsync("systemd-analyze", ["verify", "--man=no", .. units]);

        var ours = output.Split('\n').Where(line => line.Contains("imagemanager-", StringComparison.Ordinal)).ToList();
        Assert.True(exitCode == 0 && ours.Count == 0, $"systemd-analyze verify: {output}");
        Assert.All(files.Where(file => file.Key.EndsWith(".service", StringComparison.Ordinal)),
            unit => Assert.DoesNotContain("secret-password", unit.Value, StringComparison.Ordinal));
        Assert.Contains("secret-password", files["env/distribution-2.env"], StringComparison.Ordinal);
        Assert.Contains("Requires=imagemanager-distribution-migrate.service", files["systemd/imagemanager-distribution-2.service"], StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_declaration_names_a_key_ring_certificate_every_replica_of_the_distribution_and_notifications_is_given_it_and_no_other_service()
    {
        var files = SystemdUnits.Render(Declaration(), "/opt/imagemanager");

        var setting = "DataProtection__Certificate=\"/etc/imagemanager/data-protection.pfx\"";
        var given = files.Where(file => file.Key.EndsWith(".env", StringComparison.Ordinal) && file.Value.Contains(setting, StringComparison.Ordinal))
            .Select(file => file.Key).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["env/distribution-2.env", "env/distribution-migrate.env", "env/distribution.env", "env/notifications-2.env", "env/notifications-migrate.env", "env/notifications.env"],
            given);
    }

    [Fact]
    public void When_the_declaration_names_clamd_every_replica_of_the_validation_is_given_it_and_no_other_service()
    {
        var files = SystemdUnits.Render(Declaration(), "/opt/imagemanager");

        var given = files.Where(file => file.Key.EndsWith(".env", StringComparison.Ordinal) && file.Value.Contains("Scanning__Clamd=\"tcp://10.0.0.9:3310\"", StringComparison.Ordinal))
            .Select(file => file.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["env/validation-2.env", "env/validation.env"], given);
    }

    [Fact]
    public void When_regions_get_distribution_replicas_each_is_declared_after_the_central_one_with_its_region_and_no_migration()
    {
        var system = SystemDeclaration.Declare(new TopologyOptions
        {
            RabbitMqUri = "amqp://guest:guest@127.0.0.1:5681/",
            MariaDb = "Server=127.0.0.1;Port=3310;User=imagemanager;Password=p;Database=imagemanager_catalog",
            Postgres = "Host=127.0.0.1:5441;Username=imagemanager;Password=p;Database=imagemanager_distribution",
            BlobRoot = "/var/lib/imagemanager/blobs",
            ServiceToken = "a-service-token",
            RegionalDistributions = ["north", "south"],
            ServiceSettings = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["distribution"] = new Dictionary<string, string> { ["Distribution__ConcurrentUploads"] = "64" },
                ["distribution-region-south"] = new Dictionary<string, string> { ["Distribution__ConcurrentUploads"] = "8" },
            },
        });

        Assert.Equal(["catalog", "distribution", "distribution-region-north", "distribution-region-south", "validation", "notifications", "api"], system.Services.Select(s => s.Name));
        Assert.Equal(["catalog", "distribution", "notifications"], system.Migrations.Select(s => s.Name));
        var (central, north, south) = (system["distribution"], system["distribution-region-north"], system["distribution-region-south"]);
        Assert.Equal((central.Project, (string?)null, "north", "south"),
            (north.Project, central.Settings.GetValueOrDefault("Distribution__Region"), north.Settings["Distribution__Region"], south.Settings["Distribution__Region"]));
        Assert.Equal((central.Settings["ConnectionStrings__Distribution"], "64", "8"),
            (north.Settings["ConnectionStrings__Distribution"], north.Settings["Distribution__ConcurrentUploads"], south.Settings["Distribution__ConcurrentUploads"]));
        Assert.Equal(["http://127.0.0.1:5180/", "http://127.0.0.1:5181/"], new[] { north, south }.Select(s => s.Address.ToString()));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(timeout.Token);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
