using ImageManager.Testing;
using Microsoft.Playwright;

namespace ImageManager.Portal.Tests;

/// <summary>
/// The whole system (<see cref="ServiceSystem"/>) with the two local Glance instances registered as VIMs, simulated VIMs
/// for what a real Glance cannot show on cue (refusals, a fleet of 10,000 with <see cref="FleetAsync"/>), and Debian's
/// headless Chromium driven by Playwright (never a downloaded browser) to use the portal the Api serves.
/// </summary>
public sealed class PortalFixture() : ServiceSystem("portal", new RabbitMqBroker())
{
    const string Chromium = "/usr/bin/chromium";
    IPlaywright? _playwright;
    Lazy<Task<PortalFleet>>? _fleet;

    public IBrowser Browser { get; private set; } = null!;
    public string Glance1 { get; private set; } = null!;
    public string Glance2 { get; private set; } = null!;
    public VimSimulator.VimSimulator Simulator { get; private set; } = null!;
    public Uri PortalAddress => new(ApiAddress, "portal/");

    /// <summary>Where the screenshots of every step go (the tests' artefacts).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(RepositoryPaths.TestOutput, "portal-screenshots")).FullName;

    /// <summary>The screenshots the documentation shows (docs/portal.md, the README).</summary>
    public static string DocumentationImages { get; } = Path.Combine(RepositoryPaths.Root, "docs", "images");

    /// <summary>The two screen sizes every page is tried at: a laptop and a desktop.</summary>
    public static TheoryData<int, int> ScreenSizes => new() { { 1366, 768 }, { 1920, 1080 } };

    /// <summary>
    /// Webhook retries within a test: three quick attempts a delivery, a subscription suspended after three failures in a
    /// row. Failing VIMs are not probed again within a test (10,000 of them would keep the machine busy); a target on a
    /// VIM that does not answer fails after one retry a second later.
    /// </summary>
    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Webhooks__FirstRetryDelay"] = "00:00:00.100";
        settings["Webhooks__MaxRetryDelay"] = "00:00:00.300";
        settings["Webhooks__MaxAttempts"] = "3";
        settings["Webhooks__SuspendAfterFailures"] = "3";
        settings["Webhooks__PollInterval"] = "00:00:00.100";
        settings["Distribution__HealthProbeInterval"] = "00:30:00";
        // A dead VIM's target fails after one quick retry, so a fleet view shows failures within a test.
        settings["Distribution__RetryIntervals__0"] = "00:00:01";
        settings["Distribution__CircuitBreakerThreshold"] = "1000";
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Glance1 = await RegisterGlanceAsync("glance1", Infrastructure.Glance1);
        Glance2 = await RegisterGlanceAsync("glance2", Infrastructure.Glance2);
        Simulator = await VimSimulator.VimSimulator.StartAsync();
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: install the Debian package chromium (`infra/infra.sh start` does).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    /// <summary>A fresh browser tab on the portal's login page, as on a 1366×768 laptop unless told otherwise.</summary>
    public async Task<PortalSession> OpenAsync(string testName, int width = 1366, int height = 768, string? locale = null)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = locale });
        var session = new PortalSession(context, await context.NewPageAsync(), testName);
        await session.Page.GotoAsync(PortalAddress.ToString());
        return session;
    }

    /// <summary>A tab logged in with the bootstrap admin key, on the fleet overview.</summary>
    public async Task<PortalSession> LogInAsync(string testName, int width = 1366, int height = 768, string? locale = null)
    {
        var session = await OpenAsync(testName, width, height, locale);
        await session.LogInAsync(AdminKey);
        return session;
    }

    /// <summary>The 10,000 VIMs of the pickers and the fleet view, registered once for every test that asks (one bulk PUT).</summary>
    public Task<PortalFleet> FleetAsync() =>
        (_fleet ??= new Lazy<Task<PortalFleet>>(() => PortalFleet.RegisterAsync(this), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>A simulated Glance VIM (behaving as <paramref name="behaviour"/> says) with a name unique to this run.</summary>
    public async Task<string> RegisterSimulatedAsync(string vimName, VimSimulator.SimulatedVimBehaviour? behaviour = null, object? limits = null)
    {
        var id = VimIdOf(vimName);
        if (behaviour is not null)
        {
            Simulator.Configure(id, behaviour);
        }

        return await RegisterVimAsync(vimName, Simulator.EndpointOf(id), new Dictionary<string, object?> { ["region"] = "portal", ["limits"] = limits });
    }

    /// <summary>An image record with random bytes of <paramref name="size"/>, uploaded and validated.</summary>
    public async Task<Guid> ActiveImageAsync(string imageName, int size = 4096)
    {
        var id = await CreateImageAsync(imageName);
        await UploadAsync(id, TestImage.Random(size));
        await WaitForStatusAsync(id, "active");
        return id;
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
