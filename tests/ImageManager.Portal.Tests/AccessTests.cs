using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>The portal works with the API's own access control, and keeps to its strict content security policy.</summary>
[Collection(PortalCollection.Name)]
public sealed class AccessTests(PortalFixture system)
{
    [Fact]
    public async Task When_the_key_is_wrong_the_login_is_refused_showing_the_apis_reason()
    {
        await using var session = await system.OpenAsync("login-refused");

        await session.Page.GetByLabel("API key or token").FillAsync("imk_not-a-key-of-this-installation");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Expect(session.Alert).ToContainTextAsync("Login refused");
        await Expect(session.Heading).ToHaveTextAsync("Log in");
        await Expect(session.Page.Locator("#nav")).ToBeHiddenAsync();
        await session.ShotAsync("login-refused");
        Assert.Null(await session.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('imagemanager.credential')"));
    }

    [Fact]
    public async Task When_the_session_is_not_logged_in_every_page_leads_to_the_login()
    {
        await using var session = await system.OpenAsync("not-logged-in");

        await session.GoAsync("#/vims");

        await Expect(session.Heading).ToHaveTextAsync("Log in");
    }

    [Fact]
    public async Task When_the_portal_is_served_it_has_its_own_strict_policy_and_the_api_keeps_its_own()
    {
        using var anonymous = system.ApiClient(null);

        using var portal = await anonymous.GetAsync("/portal/");
        using var script = await anonymous.GetAsync("/portal/js/app.js");
        using var api = await anonymous.GetAsync("/healthz");

        Assert.Equal(System.Net.HttpStatusCode.OK, portal.StatusCode);
        var policy = portal.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("DENY", portal.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", api.Headers.GetValues("Content-Security-Policy").Single());
    }
}
