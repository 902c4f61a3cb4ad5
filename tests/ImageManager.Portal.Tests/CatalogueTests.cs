using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>Browsing and changing the catalogue from the portal.</summary>
[Collection(PortalCollection.Name)]
public sealed class CatalogueTests(PortalFixture system)
{
    [Fact]
    public async Task When_the_catalogue_is_filtered_by_name_only_the_matching_images_are_listed()
    {
        await system.CreateImageAsync("filter-alpha");
        await system.CreateImageAsync("filter-beta");
        await using var session = await system.LogInAsync("catalogue-filter");
        await session.GoAsync("#/images");
        var table = session.Page.Locator("main table");

        await session.Page.GetByLabel("Name starts with").FillAsync("filter-alpha");
        await session.Page.GetByLabel("Status").SelectOptionAsync("queued");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(table).ToContainTextAsync(system.Unique("filter-alpha"));
        await Expect(table).Not.ToContainTextAsync("filter-beta");
        Assert.Contains("namePrefix=filter-alpha", session.Page.Url, StringComparison.Ordinal);
        await session.ShotAsync("catalogue-filtered");
    }

    [Fact]
    public async Task When_the_catalogue_shows_newest_first_the_newest_image_is_the_first_row()
    {
        await system.CreateImageAsync("sorted-older");
        await system.CreateImageAsync("sorted-newer");
        await using var session = await system.LogInAsync("catalogue-newest-first");
        await session.GoAsync("#/images?namePrefix=sorted-");

        await Expect(session.Page.GetByLabel("Sort")).ToHaveValueAsync("createdAt:desc");
        var rows = session.Page.Locator("main table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync(system.Unique("sorted-newer"));
        await Expect(rows.Last).ToContainTextAsync(system.Unique("sorted-older"));
    }

    [Fact]
    public async Task When_the_browser_speaks_german_times_are_shown_in_its_locale()
    {
        await system.CreateImageAsync("german-time");
        await using var session = await system.LogInAsync("catalogue-locale", locale: "de-DE");
        await session.GoAsync($"#/images?name={system.Unique("german-time")}");

        // de-DE writes a date as day.month.year: "07.12.2026, 21:50:03".
        await Expect(session.Page.Locator("main table tbody tr td").Last).ToHaveTextAsync(new Regex(@"^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}$"));
    }

    [Fact]
    public async Task When_a_delete_is_confirmed_the_image_is_deleted_and_not_before()
    {
        var id = await system.CreateImageAsync("to-delete");
        await using var session = await system.LogInAsync("delete-confirmed");
        var page = session.Page;
        await session.GoAsync($"#/images/{id}");
        await Expect(session.Heading).ToHaveTextAsync($"{system.Unique("to-delete")} 1.0.0");

        await page.Locator("#delete-image").ClickAsync();
        await Expect(page.Locator("dialog#confirm")).ToBeVisibleAsync();
        await session.ShotAsync("delete-dialog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator("dialog#confirm")).ToBeHiddenAsync();
        using (var kept = await system.Api.GetAsync($"/api/v1/images/{id}"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, kept.StatusCode);
        }

        await page.Locator("#delete-image").ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();

        await Expect(session.Heading).ToHaveTextAsync("Catalogue");
        await Expect(session.Notice).ToContainTextAsync("deleted");
        await session.ShotAsync("deleted");
        using var gone = await system.Api.GetAsync($"/api/v1/images/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }
}
