using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>Every page at a laptop's and a desktop's size: it shows its heading, and the console shows no error at all.</summary>
[Collection(PortalCollection.Name)]
public sealed class PageTourTests(PortalFixture system)
{
    [Theory]
    [MemberData(nameof(PortalFixture.ScreenSizes), MemberType = typeof(PortalFixture))]
    public async Task When_every_page_is_visited_none_logs_a_console_error(int width, int height)
    {
        var vim = await system.RegisterSimulatedAsync($"tour-{width}");
        var imageId = await system.ActiveImageAsync($"tour-{width}");
        var distributionId = await system.DistributeAsync(imageId, vim);
        await system.WaitForDistributionAsync(distributionId);
        await using var session = await system.LogInAsync($"tour-{width}x{height}", width, height);

        (string Route, string Heading)[] pages =
        [
            ("#/overview", "Fleet overview"),
            ("#/images", "Catalogue"),
            ($"#/images/{imageId}", $"{system.Unique($"tour-{width}")} 1.0.0"),
            ($"#/fleet/{imageId}", $"Fleet view of {system.Unique($"tour-{width}")} 1.0.0"),
            ($"#/fleet/{imageId}?region=portal", $"{system.Unique($"tour-{width}")} 1.0.0 in region portal"),
            ("#/upload", "Upload an image"),
            ("#/import", "Import from a URL"),
            ($"#/distribute?imageId={imageId}", "Distribute an image"),
            ("#/distributions", "Distributions"),
            ($"#/distributions/{distributionId}", $"Distribution of {system.Unique($"tour-{width}")} 1.0.0"),
            ("#/vims", "VIMs"),
            ("#/vims/new", "Add a VIM"),
            ($"#/vims/{vim}", $"VIM {vim}"),
            ("#/subscriptions", "Notification subscriptions"),
        ];
        foreach (var (route, heading) in pages)
        {
            await session.GoAsync(route);
            await Expect(session.Heading).ToHaveTextAsync(heading);
            await session.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await session.ShotAsync($"{route.TrimStart('#', '/').Split('?')[0].Replace('/', '-')}-{width}");
        }

        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.ScriptErrors);
    }
}
