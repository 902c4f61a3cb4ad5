using System.Net;
using ImageManager.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageManager.Api.Tests;

/// <summary>
/// The Api in-process on a real Kestrel bound to 127.0.0.1 (its limits are Kestrel's), with a RabbitMQ virtual host and a
/// blob folder of its own. The services behind it are not running: what is tested here is answered by the Api itself.
/// A test may start one with settings of its own, e.g. <c>Protection:Burst</c>.
/// </summary>
public sealed class ApiApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    readonly RabbitMqBroker _broker = new();
    readonly string _blobs = Directory.CreateTempSubdirectory("imagemanager-api-test-").FullName;
    readonly (string Key, string Value)[] _settings;

    public ApiApp() => _settings = [];

    /// <summary>The bootstrap admin key of this Api.</summary>
    public string AdminKey { get; } = TestSecrets.NewBootstrapKey();

    /// <summary>The token issuer this Api trusts: tests mint tokens with any role and tenant from it.</summary>
    public TestTokenIssuer TokenIssuer { get; } = new("https://issuer.test/image-manager");

    internal ApiApp(params (string Key, string Value)[] settings) => _settings = settings;

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _broker.DisposeAsync();
        TokenIssuer.Dispose();
        Directory.Delete(_blobs, recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("RabbitMq:Uri", _broker.Uri.ToString());
        builder.UseSetting("BlobStore:Root", _blobs);
        builder.UseSetting("Downstream:Catalog", "http://127.0.0.1:9/"); // nothing listens there
        builder.UseSetting("Downstream:Distribution", "http://127.0.0.1:9/");
        builder.UseSetting("Downstream:Notifications", "http://127.0.0.1:9/");
        builder.UseSetting("Internal:ServiceToken", TestSecrets.NewServiceToken());
        builder.UseSetting("Authentication:BootstrapAdminKey", AdminKey);
        builder.UseSetting("Authentication:Issuers:0:Issuer", TokenIssuer.Issuer);
        builder.UseSetting("Authentication:Issuers:0:SigningKeys:0", TokenIssuer.PublicKeyPem);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
