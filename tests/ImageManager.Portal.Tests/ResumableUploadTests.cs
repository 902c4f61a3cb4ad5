using ImageManager.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>The portal's upload survives a broken connection: it asks the Api how much it kept and goes on from there.</summary>
[Collection(PortalCollection.Name)]
public sealed class ResumableUploadTests(PortalFixture system) : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("portal-resume-").FullName;

    [Fact]
    public async Task When_a_slice_is_cut_off_the_upload_resumes_from_the_offset_the_api_kept_and_finishes()
    {
        // Two slices (16 MiB each); the second is cut off once, as a broken link would.
        var image = TestImage.Random(20 * 1024 * 1024);
        var path = Path.Combine(_folder, "disk.raw");
        await File.WriteAllBytesAsync(path, image.Bytes);
        var name = system.Unique("portal-resumed");
        await using var session = await system.LogInAsync("resumable-upload");
        var page = session.Page;
        var offsets = new List<string>();
        var cut = false;
        await page.RouteAsync("**/api/v1/images/*/file", async route =>
        {
            var offset = await route.Request.HeaderValueAsync("upload-offset");
            if (route.Request.Method == "PATCH" && offset != "0" && !cut)
            {
                cut = true;
                await route.AbortAsync("connectionreset");
                return;
            }

            if (route.Request.Method == "PATCH")
            {
                offsets.Add(offset!);
            }

            await route.ContinueAsync();
        });

        await session.GoAsync("#/upload");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Version").FillAsync("1.0.0");
        await page.GetByLabel("Disk format").SelectOptionAsync("raw");
        await page.GetByLabel("Expected SHA-256").FillAsync(image.Sha256);
        await page.GetByLabel("Image file").SetInputFilesAsync(path);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create and upload" }).ClickAsync();

        // After the first 16 MiB slice has gone through the browser: on a busy two-core machine that alone can take seconds.
        await Expect(session.Notice).ToContainTextAsync("Asking the Api how much it has", new() { Timeout = 60_000 });
        await session.ShotAsync("resuming");
        await Expect(page.Locator("#image-status")).ToHaveTextAsync("active", new() { Timeout = 120_000 });
        await Expect(page.Locator("#verdict")).ToContainTextAsync(image.Sha256);
        await session.ShotAsync("resumed-and-active");
        Assert.Equal(["0", (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)], offsets);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
