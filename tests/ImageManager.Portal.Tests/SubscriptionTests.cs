using System.Net;
using ImageManager.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageManager.Portal.Tests;

/// <summary>Notification subscriptions from the portal, against a real webhook subscriber on loopback.</summary>
[Collection(PortalCollection.Name)]
public sealed class SubscriptionTests(PortalFixture system)
{
    const string Catalogued = "org.onap.imagemanager.image.catalogued";

    [Fact]
    public async Task When_an_operator_subscribes_each_delivery_is_shown_and_a_suspended_subscriber_can_be_resumed()
    {
        using var subscriber = new WebhookSubscriber();
        var failing = true;
        subscriber.Answer = _ => (Volatile.Read(ref failing) ? HttpStatusCode.BadGateway : HttpStatusCode.OK, TimeSpan.Zero);
        await using var session = await system.LogInAsync("subscriptions");
        var page = session.Page;
        await session.GoAsync("#/subscriptions");

        await page.GetByLabel("Webhook URL").FillAsync(subscriber.Url.ToString());
        await page.GetByLabel("Secret").FillAsync("portal-secret-0123456789");
        await page.GetByLabel("Event types").FillAsync(Catalogued);
        await page.GetByLabel("Description").FillAsync("from the portal");
        await session.ShotAsync("subscription-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Expect(session.Heading).ToHaveTextAsync("Subscription");

        // Three failed attempts at one delivery suspend it here; the page shows why.
        var imageId = await system.CreateImageAsync("portal-hooked");
        await subscriber.WaitForAsync(r => r.Count(d => d.Subject == imageId.ToString()) >= 3, "three failed attempts");
        await session.GoAsync("#/subscriptions");
        var row = page.Locator("tr", new() { HasText = subscriber.Url.ToString() });
        await Expect(row).ToContainTextAsync("suspended");
        await Expect(row).ToContainTextAsync("502");
        await session.ShotAsync("subscription-suspended");

        Volatile.Write(ref failing, false);
        var newer = await system.CreateImageAsync("portal-hooked-later");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Resume {subscriber.Url}" }).ClickAsync();
        await Expect(row).ToContainTextAsync("active");
        await subscriber.WaitForAsync(r => r.Any(d => d.Subject == newer.ToString()), "the event that waited while suspended");

        await row.GetByRole(AriaRole.Link, new() { Name = subscriber.Url.ToString() }).ClickAsync();
        await Expect(session.Heading).ToHaveTextAsync("Subscription");
        var deliveries = page.Locator("table", new() { HasText = Catalogued });
        await Expect(deliveries).ToContainTextAsync("delivered");
        await Expect(deliveries).ToContainTextAsync("502 Bad Gateway");
        await session.ShotAsync("subscription-deliveries");
        Assert.Empty(session.ScriptErrors);
    }
}
