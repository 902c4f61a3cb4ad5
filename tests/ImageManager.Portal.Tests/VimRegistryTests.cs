using System.Text.RegularExpressions;
using ImageManager.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>The VIM registry from the portal, with the mouse and with the keyboard alone.</summary>
[Collection(PortalCollection.Name)]
public sealed class VimRegistryTests(PortalFixture system)
{
    [Fact]
    public async Task When_a_vim_is_added_it_is_listed_and_probes_healthy()
    {
        var id = system.VimIdOf("added-in-portal");
        await using var session = await system.LogInAsync("vim-add");
        var page = session.Page;
        await session.GoAsync("#/vims");

        await page.GetByRole(AriaRole.Link, new() { Name = "Add a VIM" }).ClickAsync();
        await page.GetByLabel("Id", new() { Exact = true }).FillAsync(id);
        await page.GetByLabel("Endpoint").FillAsync(Infrastructure.Glance2.ToString());
        await page.GetByLabel("Region", new() { Exact = true }).FillAsync(system.Unique("portal-region"));
        await page.GetByLabel("Tags (comma separated)").FillAsync("edge, portal");
        await session.ShotAsync("vim-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add VIM" }).ClickAsync();

        var row = page.Locator($"tr[data-vim='{id}']");
        await Expect(row).ToContainTextAsync("edge, portal");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Probe {id}" }).ClickAsync();
        await Expect(row.Locator(".health")).ToContainTextAsync("healthy");
        await session.ShotAsync("vim-listed-and-probed");
        var vim = await system.GetJsonAsync($"/api/v1/vims/{id}");
        Assert.Equal(system.Unique("portal-region"), vim["region"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_only_the_keyboard_is_used_an_operator_can_log_in_and_add_a_vim()
    {
        var id = system.VimIdOf("added-by-keyboard");
        await using var session = await system.OpenAsync("keyboard-only");
        var keyboard = session.Page.Keyboard;

        await TabToAsync(session.Page, "credential");
        await keyboard.TypeAsync(system.AdminKey);
        await keyboard.PressAsync("Enter");
        await Expect(session.Heading).ToHaveTextAsync("Fleet overview");
        await Expect(session.Heading).ToBeFocusedAsync();

        await TabToAsync(session.Page, "VIMs", backwards: true);
        await keyboard.PressAsync("Enter");
        await Expect(session.Heading).ToHaveTextAsync("VIMs");
        await TabToAsync(session.Page, "Add a VIM");
        await keyboard.PressAsync("Enter");
        await Expect(session.Heading).ToHaveTextAsync("Add a VIM");
        await TabToAsync(session.Page, "f-id");
        await keyboard.TypeAsync(id);
        await TabToAsync(session.Page, "f-endpoint");
        await keyboard.TypeAsync(Infrastructure.Glance1.ToString());
        await session.ShotAsync("keyboard-vim-form");
        await keyboard.PressAsync("Enter");

        await Expect(session.Heading).ToHaveTextAsync("VIMs");
        await Expect(session.Page.Locator($"tr[data-vim='{id}']")).ToBeVisibleAsync();
        await session.ShotAsync("keyboard-vim-added");
    }

    [Fact]
    public async Task When_a_vim_never_answered_it_is_shown_unhealthy_not_green_and_the_connection_test_says_why()
    {
        var id = system.VimIdOf("never-answers");
        await using var session = await system.LogInAsync("vim-never-answers");
        var page = session.Page;
        await session.GoAsync("#/vims/new");
        await page.GetByLabel("Id", new() { Exact = true }).FillAsync(id);
        await page.GetByLabel("Endpoint").FillAsync("http://127.0.0.1:9/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and test connection" }).ClickAsync();

        await Expect(session.Heading).ToHaveTextAsync($"VIM {id}");
        await Expect(session.Notice).ToContainTextAsync("unhealthy (unreachable)");
        await Expect(page.Locator("#vim-health .state")).ToHaveClassAsync(new Regex("health-unhealthy"));
        await session.ShotAsync("vim-connection-test");

        await session.GoAsync($"#/vims?idPrefix={id}");
        var health = page.Locator($"tr[data-vim='{id}'] .health .state");
        await Expect(health).ToHaveTextAsync("unhealthy (unreachable)");
        Assert.DoesNotContain("health-healthy", await health.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        await Expect(page.Locator("#vim-count")).ToContainTextAsync("1 VIM match");
    }

    [Fact]
    public async Task When_the_type_is_oci_registry_the_form_asks_for_a_registry_and_tls_skip_warns()
    {
        var id = system.VimIdOf("registry-form");
        await using var session = await system.LogInAsync("vim-form-by-type");
        var page = session.Page;
        await session.GoAsync("#/vims/new");
        await Expect(page.GetByLabel("Keystone URL (…/v3)")).ToBeVisibleAsync();

        await page.GetByLabel("Type").SelectOptionAsync("oci-registry");
        await Expect(page.GetByLabel("Keystone URL (…/v3)")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("Registry username")).ToBeVisibleAsync();
        await Expect(page.Locator("#insecure-warning")).ToBeHiddenAsync();
        await page.GetByLabel("Skip certificate verification (insecure)").CheckAsync();
        await Expect(page.Locator("#insecure-warning")).ToBeVisibleAsync();
        await page.GetByLabel("Skip certificate verification (insecure)").UncheckAsync();
        await page.GetByLabel("Id", new() { Exact = true }).FillAsync(id);
        await page.GetByLabel("Endpoint").FillAsync(Infrastructure.Registry.ToString());
        await page.GetByLabel("Repository namespace").FillAsync("portal/tests");
        await session.ShotAsync("vim-form-registry");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and test connection" }).ClickAsync();

        await Expect(session.Notice).ToContainTextAsync($"Connection test of {id}: healthy");
        var vim = await system.GetJsonAsync($"/api/v1/vims/{id}");
        Assert.Equal(("oci-registry", "portal/tests", false), (vim["type"]!.GetValue<string>(), vim["tenant"]!.GetValue<string>(), vim["tls"]!["insecureSkipVerify"]!.GetValue<bool>()));
    }

    /// <summary>Presses Tab (or Shift+Tab) until the focused element has this id or text; a bounded number of presses.</summary>
    static async Task TabToAsync(IPage page, string idOrText, bool backwards = false)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            var focused = await page.EvaluateAsync<string>("() => `${document.activeElement?.id ?? ''}|${document.activeElement?.textContent?.trim() ?? ''}`");
            var (focusedId, focusedText) = (focused.Split('|')[0], focused.Split('|', 2)[1]);
            if (focusedId == idOrText || focusedText == idOrText)
            {
                return;
            }

            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        throw new InvalidOperationException($"'{idOrText}' was not reached with the keyboard within 60 presses.");
    }
}
