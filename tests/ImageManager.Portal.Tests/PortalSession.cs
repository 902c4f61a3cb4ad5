using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>One browser tab on the portal: its page, the script errors it met, and numbered screenshots of its steps.</summary>
public sealed class PortalSession : IAsyncDisposable
{
    readonly IBrowserContext _context;
    readonly string _testName;
    int _step;

    public PortalSession(IBrowserContext context, IPage page, string testName)
    {
        _context = context;
        _testName = testName;
        Page = page;
        // Uncaught exceptions and refused scripts or styles (the CSP) are bugs of the portal, whatever the test checks.
        page.PageError += (_, error) => ScriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type != "error")
            {
                return;
            }

            // Every error the console shows (a missing favicon, an invalid pattern, a refused request); what a test
            // provokes on purpose (a refused login) it does not look for here.
            ConsoleErrors.Add($"{message.Text} ({message.Location})");
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                ScriptErrors.Add(message.Text);
            }
        };
    }

    public IPage Page { get; }
    public List<string> ScriptErrors { get; } = [];
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>The error region (role alert), where refusals and their reasons are shown.</summary>
    public ILocator Alert => Page.Locator("#alert");
    public ILocator Notice => Page.Locator("#notice");
    public ILocator Heading => Page.Locator("main h1");

    public async Task LogInAsync(string credential)
    {
        await Page.GetByLabel("API key or token").FillAsync(credential);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(Heading).ToHaveTextAsync("Fleet overview");
    }

    public async Task GoAsync(string route) => await Page.EvaluateAsync("route => { location.hash = route; }", route);

    /// <summary>A screenshot of the whole page into .local/test-output/portal-screenshots/, named after the test and step.</summary>
    public async Task<string> ShotAsync(string step)
    {
        var path = Path.Combine(PortalFixture.Screenshots, $"{_testName}-{++_step:00}-{step}.png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    /// <summary>A screenshot of the viewport for the documentation: docs/images/{name}.png.</summary>
    public async Task DocumentAsync(string name)
    {
        await Page.ScreenshotAsync(new() { Path = Path.Combine(PortalFixture.DocumentationImages, $"{name}.png") });
        await ShotAsync(name);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
