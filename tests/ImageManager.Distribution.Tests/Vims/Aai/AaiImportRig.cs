using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.Distribution.Vims.Aai;
using ImageManager.VimSimulator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ImageManager.Distribution.Tests.Vims.Aai;

/// <summary>
/// A database of its own, an A&amp;AI simulator with an account for Image Manager, and the Distribution's A&amp;AI import as
/// the service registers it (<see cref="AaiImportExtensions.AddAaiImport"/>) over them, with settings of the test's own.
/// </summary>
public sealed class AaiImportRig : IAsyncLifetime
{
    public DistributionDatabase Database { get; } = new();

    public AaiSimulator Aai { get; private set; } = null!;

    public const string Username = "AAI";

    public string Password { get; } = $"aai-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Aai = await AaiSimulator.StartAsync(Username, Password);
    }

    public async Task DisposeAsync()
    {
        await Aai.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>The import's services on this rig's A&amp;AI and database; <paramref name="settings"/> change or add <c>Aai:*</c> and others (null removes one).</summary>
    public HostApplicationBuilder Builder(params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        var configuration = new Dictionary<string, string?>
        {
            ["Aai:BaseUrl"] = Aai.Address.AbsoluteUri,
            ["Aai:ApiVersion"] = AaiSimulator.Version,
            ["Aai:Username"] = Username,
            ["Aai:Password"] = Password,
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration.Where(s => s.Value is not null));
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Database.Factory());
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<VimCredentialProtector>();
        builder.AddAaiImport();
        return builder;
    }

    /// <summary>One import on a host made by <see cref="Builder"/>.</summary>
    public static async Task<AaiImportReport> ImportAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AaiImport>().RunAsync(CancellationToken.None);
    }

    public async Task<Vim?> FindAsync(string id)
    {
        await using var db = new DistributionDbContext(Database.Options);
        return await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id);
    }

    /// <summary>An OpenStack region as ESR registers one, its Keystone at a made-up address (nothing here connects to it).</summary>
    public static System.Text.Json.Nodes.JsonObject Region(string owner, string id, string password = "esr-password") =>
        AaiSimulator.CloudRegion(owner, id, new Uri("https://keystone.example.net:5000/v3"), "onap", password);
}
