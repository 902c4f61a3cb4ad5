using ImageManager.Testing;
using Microsoft.Playwright;

namespace ImageManager.Portal.Tests;

/// <summary>
/// The whole system (<see cref="ServiceSystem"/>) with the two local Glance instances registered as VIMs, and Debian's
/// headless Chromium driven by Playwright (never a downloaded browser) to use the portal the Api serves.
/// </summary>
public sealed class PortalFixture() : ServiceSystem("portal", new RabbitMqBroker())
{
    const string Chromium = "/usr/bin/chromium";
    IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string Glance1 { get; private set; } = null!;
    public string Glance2 { get; private set; } = null!;
    public Uri PortalAddress => new(ApiAddress, "portal/");

    /// <summary>Where the screenshots of every step go (the tests' artefacts).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(RepositoryPaths.TestOutput, "portal-screenshots")).FullName;

    /// <summary>Webhook retries within a test: three quick attempts a delivery, a subscription suspended after three failures in a row.</summary>
    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Webhooks__FirstRetryDelay"] = "00:00:00.100";
        settings["Webhooks__MaxRetryDelay"] = "00:00:00.300";
        settings["Webhooks__MaxAttempts"] = "3";
        settings["Webhooks__SuspendAfterFailures"] = "3";
        settings["Webhooks__PollInterval"] = "00:00:00.100";
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Glance1 = await RegisterGlanceAsync("glance1", Infrastructure.Glance1);
        Glance2 = await RegisterGlanceAsync("glance2", Infrastructure.Glance2);
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: install the Debian package chromium (`infra/infra.sh start` does).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    /// <summary>A fresh browser tab on the portal's login page, as on a 1366×768 laptop.</summary>
    public async Task<PortalSession> OpenAsync(string testName)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
        var session = new PortalSession(context, await context.NewPageAsync(), testName);
        await session.Page.GotoAsync(PortalAddress.ToString());
        return session;
    }

    /// <summary>A tab logged in with the bootstrap admin key, on the catalogue.</summary>
    public async Task<PortalSession> LogInAsync(string testName)
    {
        var session = await OpenAsync(testName);
        await session.LogInAsync(AdminKey);
        return session;
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
