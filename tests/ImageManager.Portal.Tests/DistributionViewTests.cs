using ImageManager.VimSimulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>Distributions as they are: named by their image, failures shown as failures, bytes while they flow.</summary>
[Collection(PortalCollection.Name)]
public sealed class DistributionViewTests(PortalFixture system)
{
    static readonly LocatorAssertionsToContainTextOptions Settles = new() { Timeout = 120_000 };

    [Fact]
    public async Task When_distributions_are_listed_each_shows_its_image_name_and_version()
    {
        var vim = await system.RegisterSimulatedAsync("named-list");
        var first = await system.ActiveImageAsync("named-first");
        var second = await system.ActiveImageAsync("named-second");
        var firstDistribution = await system.DistributeAsync(first, vim);
        var secondDistribution = await system.DistributeAsync(second, vim);
        await using var session = await system.LogInAsync("distributions-named");
        var page = session.Page;

        await session.GoAsync("#/distributions");
        await Expect(page.Locator($"tr[data-distribution='{firstDistribution}'] .image-name")).ToContainTextAsync($"{system.Unique("named-first")} 1.0.0");
        await Expect(page.Locator($"tr[data-distribution='{secondDistribution}'] .image-name")).ToContainTextAsync($"{system.Unique("named-second")} 1.0.0");
        await session.ShotAsync("distributions-by-name");

        await session.GoAsync($"#/distributions/{secondDistribution}");
        await Expect(session.Heading).ToHaveTextAsync($"Distribution of {system.Unique("named-second")} 1.0.0");
        await Expect(page.Locator("#distribution-summary")).ToContainTextAsync($"{system.Unique("named-second")} 1.0.0");
        Assert.Empty(session.ScriptErrors);
    }

    [Fact]
    public async Task When_targets_fail_while_one_still_uploads_the_failures_show_red_and_the_bytes_move()
    {
        var refusing = new SimulatedVimBehaviour { FailWith = Fault.Status(400) };
        var failing = new[] { await system.RegisterSimulatedAsync("refuses-1", refusing), await system.RegisterSimulatedAsync("refuses-2", refusing) };
        // 24 MiB at 2 MiB/s: about 12 s of bytes flowing to watch.
        var slow = await system.RegisterSimulatedAsync("slow-live", limits: new { bandwidthBytesPerSecond = 2 * 1024 * 1024 });
        var imageId = await system.ActiveImageAsync("live-bytes", 24 * 1024 * 1024);
        var id = await system.DistributeAsync(imageId, [.. failing, slow]);
        await using var session = await system.LogInAsync("distribution-honest", 1920, 1080);
        var page = session.Page;

        await session.GoAsync($"#/distributions/{id}");
        await Expect(page.Locator("#progress-label")).ToContainTextAsync("2 failed", Settles);
        await Expect(page.Locator("#distribution-bytes")).ToContainTextAsync("MiB sent", Settles);
        await Expect(page.Locator("#distribution-state")).ToContainTextAsync("distributing");
        await Expect(page.Locator("#distribution-segments .segment-failed")).ToBeVisibleAsync();
        await Expect(page.Locator("#progress-label")).Not.ToContainTextAsync("done");
        Assert.Equal("2", await page.Locator("#distribution-segments .segment-failed").GetAttributeAsync("data-count"));
        await session.DocumentAsync("portal-distribution-live");

        await Expect(page.Locator("#distribution-state")).ToContainTextAsync("completed", Settles);
        await Expect(page.Locator("#progress-label")).ToContainTextAsync("1 active, 2 failed, 0 in progress, 0 pending");
        await Expect(page.Locator("#distribution-bytes")).ToContainTextAsync("24.0 MiB sent");
        Assert.Empty(session.ScriptErrors);
    }
}
