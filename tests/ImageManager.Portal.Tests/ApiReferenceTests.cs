using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>The API reference page the Api serves beside the portal, as a person opens it: no login, nothing from elsewhere.</summary>
[Collection(PortalCollection.Name)]
public sealed class ApiReferenceTests(PortalFixture system)
{
    [Fact]
    public async Task When_the_API_reference_is_opened_in_a_browser_it_lists_the_operations_and_loads_nothing_from_elsewhere()
    {
        var context = await system.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
        var requested = new ConcurrentQueue<string>();
        context.Request += (_, request) => requested.Enqueue(request.Url);
        await using var session = new PortalSession(context, await context.NewPageAsync(), "api-reference");

        await session.Page.GotoAsync(new Uri(system.ApiAddress, "api/v1/reference/").ToString());

        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Image Manager API", Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(session.Page.GetByText("/api/v1/distributions/{id}/cancel").First).ToBeVisibleAsync();
        await Expect(session.Page.GetByText("/api/v1/removals").First).ToBeVisibleAsync();
        await Expect(session.Page.GetByText("Subscriptions", new() { Exact = true }).First).ToBeVisibleAsync();
        await session.ShotAsync("operations");
        Assert.Empty(session.ScriptErrors);
        var origin = system.ApiAddress.GetLeftPart(UriPartial.Authority);
        Assert.Contains($"{origin}/api/v1/openapi.json", requested);
        Assert.All(requested, url => Assert.True(url.StartsWith(origin + "/", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal),
            $"the page asked for {url}, which is not on this Api"));
    }
}
