using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// The whole system (<see cref="ServiceSystem"/>) on the shared local broker, with the two local Glance instances as VIMs,
/// one of them also behind a proxy that breaks on request, a download site and a certificate authority for imports and
/// signatures.
/// </summary>
public sealed class SystemFixture() : ServiceSystem("e2e", new RabbitMqBroker())
{
    public GlanceFaultProxy FaultyGlance { get; } = new(Infrastructure.Glance1);
    public ImageSourceServer Downloads { get; } = new();

    /// <summary>ONAP A&amp;AI's cloud-region inventory that the Distribution imports VIMs from (<c>Aai:*</c>); started before the services.</summary>
    public VimSimulator.AaiSimulator Aai { get; private set; } = null!;

    /// <summary>The basic-auth user and password the Distribution presents to <see cref="Aai"/>.</summary>
    public (string Username, string Password) AaiAccount { get; } = ("imagemanager", $"aai-{Guid.NewGuid():N}");

    /// <summary>The certificate authority Validation trusts in this system.</summary>
    public TestAuthority Authority { get; } = new();

    /// <summary>The most bytes an import may bring in this system.</summary>
    public const int ImportLimit = 16 * 1024 * 1024;

    /// <summary>How long a webhook subscriber has to answer in this system.</summary>
    public static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Failed webhook attempts in a row after which a subscription is suspended in this system.</summary>
    public const int WebhookSuspendAfter = 4;

    public override async Task InitializeAsync()
    {
        Aai = await VimSimulator.AaiSimulator.StartAsync(AaiAccount.Username, AaiAccount.Password);
        await base.InitializeAsync();
    }

    protected override void Configure(IDictionary<string, string> settings)
    {
        // A&AI imports when a test asks (POST /api/v1/vims/imports/aai); the periodic import is tested on its own.
        settings["Aai__BaseUrl"] = Aai.Address.AbsoluteUri;
        settings["Aai__ApiVersion"] = VimSimulator.AaiSimulator.Version;
        settings["Aai__Username"] = AaiAccount.Username;
        settings["Aai__Password"] = AaiAccount.Password;
        // Short waits so the retry path runs within a test; production waits are minutes.
        settings["Distribution__RetryIntervals__0"] = "00:00:01";
        settings["Distribution__RetryIntervals__1"] = "00:00:01";
        settings["Distribution__RetryIntervals__2"] = "00:00:02";
        // Tests send to a dead VIM more than once (a distribution, then its retry) and expect each to fail after its retries; the circuit
        // breaker (which would make later uploads wait for the VIM instead) is tested on its own.
        settings["Distribution__CircuitBreakerThreshold"] = "1000";
        // A regional hub that died is known within a second, not five.
        settings["Hubs__HealthRefresh"] = "00:00:01";
        // Imports may come from the test's own download site on 127.0.0.1, over plain HTTP.
        settings["Signatures__TrustStore"] = Authority.TrustStore;
        // A revocation list dropped into the trust store is seen within a second (TrustWithdrawalTests), not a minute.
        settings["Signatures__TrustStoreReviewInterval"] = "00:00:01";
        settings["Import__AllowedSchemes__0"] = "http";
        settings["Import__AllowedHosts__0"] = "127.0.0.1";
        // Webhook retries within a test: 100 ms, then 200, 400, at most 500 ms; three attempts a delivery.
        settings["Webhooks__DeliveryTimeout"] = WebhookTimeout.ToString();
        settings["Webhooks__FirstRetryDelay"] = "00:00:00.100";
        settings["Webhooks__MaxRetryDelay"] = "00:00:00.500";
        settings["Webhooks__MaxAttempts"] = "3";
        settings["Webhooks__SuspendAfterFailures"] = WebhookSuspendAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Webhooks__PollInterval"] = "00:00:00.100";
        settings["Import__MaxBytes"] = ImportLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Aai is not null)
        {
            await Aai.DisposeAsync();
        }

        FaultyGlance.Dispose();
        Downloads.Dispose();
        Authority.Dispose();
    }

    /// <summary>An image as a Glance VIM shows it, or null when Glance does not have it.</summary>
    public static async Task<JsonObject?> FindGlanceImageAsync(Uri glance, string id)
    {
        using var http = new HttpClient { BaseAddress = glance };
        using var response = await http.GetAsync($"/v2/images/{id}");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonObject>();
    }

    public static async Task<JsonObject> ReadGlanceImageAsync(Uri glance, string id) =>
        await FindGlanceImageAsync(glance, id) ?? throw new InvalidOperationException($"Glance at {glance} has no image {id}.");
}
