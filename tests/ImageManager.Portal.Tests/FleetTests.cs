using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>
/// The overview, the fleet view and the pickers with 10,000 registered VIMs (<see cref="PortalFleet"/>): counted on the
/// server, a bounded page rendered, "every VIM that matches" sent as a selector. Load times are printed, not asserted.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class FleetTests(PortalFixture system, ITestOutputHelper output)
{
    static readonly LocatorAssertionsToContainTextOptions Loads = new() { Timeout = 60_000 };

    [Fact]
    public async Task When_the_fleet_has_ten_thousand_vims_the_overview_counts_them_by_health_and_region()
    {
        await system.FleetAsync();
        await using var session = await system.LogInAsync("fleet-overview", 1920, 1080);
        var page = session.Page;

        var took = await TimeAsync(page, "#/overview", page.Locator("#vims-card"));
        // The fleet's and the other tests' VIMs: 10,0xx, of which 2,0xx unhealthy.
        await Expect(page.Locator("#vims-card .big")).ToHaveTextAsync(new Regex(@"^10,0\d\d$"));
        await Expect(page.Locator("#vims-card")).ToContainTextAsync(new Regex(@"2,0\d\d unhealthy"));
        var dallas = page.Locator("tr[data-region='dallas']");
        await Expect(dallas).ToContainTextAsync(Number(PortalFleet.PerRegion));
        await Expect(dallas.Locator("td").Nth(3)).ToHaveTextAsync(Number(PortalFleet.PerRegion / 5));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await session.DocumentAsync("portal-overview");
        output.WriteLine($"Overview at {PortalFleet.Size:N0} VIMs: first figures shown {took.TotalMilliseconds:F0} ms after navigation.");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task When_an_image_went_to_part_of_a_region_the_fleet_view_counts_present_failed_and_missing_and_drills_down()
    {
        var fleet = await system.FleetAsync();
        var imageId = await system.ActiveImageAsync("fleet-view");
        // amsterdam-0001…0099: 99 VIMs, of which every fifth does not answer (19): 80 present, 19 failed, 401 missing.
        var distributionId = await system.DistributeAsync(new { imageId, selector = new { idPrefix = $"{fleet.Owner}_amsterdam-00" } });
        await system.WaitForDistributionAsync(distributionId, TimeSpan.FromMinutes(3));
        await using var session = await system.LogInAsync("fleet-view", 1920, 1080);
        var page = session.Page;

        var took = await TimeAsync(page, $"#/fleet/{imageId}", page.Locator("tr[data-region='amsterdam']"));
        var amsterdam = page.Locator("tr[data-region='amsterdam']");
        await Expect(amsterdam.Locator("[data-presence='present']")).ToHaveTextAsync("80");
        await Expect(amsterdam.Locator("[data-presence='failed']")).ToHaveTextAsync("19");
        await Expect(amsterdam.Locator("[data-presence='missing']")).ToHaveTextAsync("401");
        await Expect(page.Locator("tr[data-region='berlin'] [data-presence='missing']")).ToHaveTextAsync("500");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await session.DocumentAsync("portal-fleet-view");
        output.WriteLine($"Fleet view of one image at {PortalFleet.Size:N0} VIMs: region table shown {took.TotalMilliseconds:F0} ms after navigation.");

        await amsterdam.GetByRole(AriaRole.Link, new() { Name = "amsterdam" }).ClickAsync();
        await Expect(session.Heading).ToHaveTextAsync($"{system.Unique("fleet-view")} 1.0.0 in region amsterdam");
        await page.GetByLabel("Presence").SelectOptionAsync("failed");
        var rows = page.Locator("main table tbody tr");
        await Expect(rows).ToHaveCountAsync(19);
        await Expect(rows.First).ToContainTextAsync(fleet.VimId("amsterdam", 5));
        await Expect(rows.First.Locator(".presence")).ToHaveTextAsync("failed");
        await session.ShotAsync("fleet-region-failed");

        var sitesTook = await TimeAsync(page, $"#/fleet/{imageId}?region=berlin", page.Locator("main table tbody tr").First);
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToBeVisibleAsync();
        output.WriteLine($"Sites of one region (500 VIMs, a page of 50): first rows shown {sitesTook.TotalMilliseconds:F0} ms after navigation.");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task When_every_vim_that_matches_is_chosen_the_distribution_is_sent_with_a_selector_not_ids()
    {
        var fleet = await system.FleetAsync();
        var imageId = await system.ActiveImageAsync("picked");
        await system.ActiveImageAsync("picked-other");
        await using var session = await system.LogInAsync("fleet-pickers", 1920, 1080);
        var page = session.Page;

        var took = await TimeAsync(page, "#/distribute", page.Locator("#vim-results label").First);
        await Expect(page.Locator("#vim-results input[type=checkbox]")).ToHaveCountAsync(50);
        await Expect(page.Locator("#vim-matches")).ToContainTextAsync("VIMs match (the first 50 listed)");
        output.WriteLine($"Distribute page at {PortalFleet.Size:N0} VIMs: first VIM rows shown {took.TotalMilliseconds:F0} ms after navigation.");

        var searched = Stopwatch.StartNew();
        await page.GetByLabel("Image name").FillAsync(system.Unique("picked"));
        await Expect(page.Locator("#image-results label")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        output.WriteLine($"Image search by name: matches shown {searched.ElapsedMilliseconds} ms after typing.");
        await page.GetByRole(AriaRole.Radio, new() { Name = $"{system.Unique("picked")} 1.0.0" }).CheckAsync();
        await Expect(page.Locator("#image-chosen")).ToContainTextAsync($"{system.Unique("picked")} 1.0.0");
        await session.DocumentAsync("portal-image-picker");

        searched.Restart();
        await page.GetByLabel("VIM region").FillAsync("dallas");
        await page.GetByLabel("VIM health").SelectOptionAsync("healthy");
        await Expect(page.Locator("#vim-matches")).ToContainTextAsync($"{Number(PortalFleet.PerRegion * 4 / 5)} VIMs match", Loads);
        output.WriteLine($"VIM search by region and health: count and first page shown {searched.ElapsedMilliseconds} ms after the last change.");
        await Expect(page.Locator("#vim-results input[type=checkbox]")).ToHaveCountAsync(50);
        await page.GetByLabel("VIM id starts with").FillAsync($"{fleet.Owner}_dallas-00");
        await Expect(page.Locator("#vim-matches")).ToContainTextAsync("80 VIMs match", Loads);
        await page.GetByLabel("Every VIM that matches (80)").CheckAsync();
        await session.DocumentAsync("portal-vim-picker");

        var request = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Distribute" }).ClickAsync(),
            sent => sent.Method == "POST" && sent.Url.EndsWith("/api/v1/distributions", StringComparison.Ordinal));
        var body = JsonNode.Parse(request.PostData!)!.AsObject();
        Assert.False(body.ContainsKey("vimIds"));
        Assert.Equal(($"{fleet.Owner}_dallas-00", "dallas", "healthy"),
            (body["selector"]!["idPrefix"]!.GetValue<string>(), body["selector"]!["region"]!.GetValue<string>(), body["selector"]!["health"]!.GetValue<string>()));
        Assert.Equal(imageId.ToString(), body["imageId"]!.GetValue<string>());

        await Expect(session.Heading).ToHaveTextAsync($"Distribution of {system.Unique("picked")} 1.0.0", new() { Timeout = 30_000 });
        var distributionId = page.Url.Split('/')[^1];
        var distribution = await system.GetJsonAsync($"/api/v1/distributions/{distributionId}");
        Assert.Equal(80, distribution["targetCount"]!.GetValue<int>());
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>
    /// From setting the route to <paramref name="shown"/> being visible: what an operator waits for. Timed from a page
    /// without tables, so that nothing the page before showed is taken for the new page's rows.
    /// </summary>
    static async Task<TimeSpan> TimeAsync(IPage page, string route, ILocator shown)
    {
        await page.EvaluateAsync("() => { location.hash = '#/import'; }");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Import from a URL");
        var clock = Stopwatch.StartNew();
        await page.EvaluateAsync("route => { location.hash = route; }", route);
        await Expect(shown).ToBeVisibleAsync(new() { Timeout = 60_000 });
        return clock.Elapsed;
    }

    static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
