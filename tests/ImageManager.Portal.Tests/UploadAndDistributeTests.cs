using ImageManager.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>The operator's main path, in a real browser: upload a real qcow2, see it validated, distribute it, watch it finish.</summary>
[Collection(PortalCollection.Name)]
public sealed class UploadAndDistributeTests(PortalFixture system) : IDisposable
{
    static readonly LocatorAssertionsToHaveTextOptions Settles = new() { Timeout = 120_000 };
    readonly string _folder = Directory.CreateTempSubdirectory("portal-upload-").FullName;

    [Fact]
    public async Task When_an_operator_uploads_validates_and_distributes_the_distribution_is_seen_completing_on_both_vims()
    {
        // Random content: Glance holds the images of earlier runs, and a VIM that has the image already is skipped.
        await File.WriteAllBytesAsync(Path.Combine(_folder, "disk.raw"), TestImage.Random(4 * 1024 * 1024).Bytes);
        QemuImg.Run(_folder, "convert", "-f", "raw", "-O", "qcow2", "disk.raw", "portal.qcow2");
        var name = system.Unique("portal-cirros");
        await using var session = await system.LogInAsync("upload-distribute");
        var page = session.Page;

        await session.GoAsync("#/upload");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Version").FillAsync("1.0.0");
        await page.GetByLabel("Disk format").SelectOptionAsync("qcow2");
        await page.GetByLabel("Vendor").FillAsync("portal-tests");
        await page.GetByLabel("Image file").SetInputFilesAsync(Path.Combine(_folder, "portal.qcow2"));
        await session.ShotAsync("upload-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create and upload" }).ClickAsync();

        await Expect(session.Heading).ToHaveTextAsync($"{name} 1.0.0", Settles);
        await Expect(page.Locator("#image-status")).ToHaveTextAsync("active", Settles);
        await Expect(page.Locator("#verdict-outcome")).ToHaveTextAsync("accepted");
        await Expect(page.Locator("#verdict")).ToContainTextAsync("qcow2");
        await session.ShotAsync("image-active-with-verdict");

        await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Distribute", Exact = true }).ClickAsync();
        await Expect(session.Heading).ToHaveTextAsync("Distribute an image");
        await Expect(page.Locator("#image-chosen")).ToContainTextAsync($"{name} 1.0.0");
        await page.GetByLabel("VIM id starts with").FillAsync("portal_glance");
        await Expect(page.Locator("#vim-matches")).ToContainTextAsync("2 VIMs match");
        await page.Locator($"input[name=vimIds][value='{system.Glance1}']").CheckAsync();
        await page.Locator($"input[name=vimIds][value='{system.Glance2}']").CheckAsync();
        await Expect(page.Locator("#vim-ticked")).ToHaveTextAsync("2 ticked.");
        await session.ShotAsync("distribute-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Distribute" }).ClickAsync();

        await Expect(session.Heading).ToHaveTextAsync($"Distribution of {name} 1.0.0");
        await session.ShotAsync("distribution-under-way");
        await Expect(page.Locator("#distribution-state")).ToContainTextAsync("completed", new() { Timeout = 120_000 });
        await Expect(page.Locator("#distribution-state")).ToContainTextAsync("succeeded");
        await Expect(page.Locator($"tr[data-vim='{system.Glance1}'] .target-state")).ToHaveTextAsync("active");
        await Expect(page.Locator($"tr[data-vim='{system.Glance2}'] .target-state")).ToHaveTextAsync("active");
        await Expect(page.Locator("#progress-label")).ToContainTextAsync("2 active, 0 failed, 0 in progress, 0 pending");
        await Expect(page.Locator("#distribution-segments .segment-active")).ToBeVisibleAsync();
        await Expect(page.Locator("#distribution-segments .segment-failed")).ToHaveCountAsync(0);
        await session.ShotAsync("distribution-completed");

        await page.Locator("#target-filter").SelectOptionAsync("failed");
        await Expect(page.Locator("#targets")).ToHaveTextAsync("No target in this state.");
        Assert.Empty(session.ScriptErrors);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
