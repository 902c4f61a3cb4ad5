using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Webhooks against real HTTP subscribers on loopback: signed CloudEvents, retries with backoff when a subscriber fails
/// or is too slow, every attempt recorded and visible, suspension of a subscriber that keeps failing and its resumption,
/// each tenant its own notifications, and bad subscriptions refused with the reason.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WebhookTests(SystemFixture system)
{
    const string Catalogued = "org.onap.imagemanager.image.catalogued";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_an_image_is_catalogued_a_cloud_event_signed_with_the_subscription_secret_is_delivered()
    {
        using var subscriber = new WebhookSubscriber();
        var secret = NewSecret();
        var subscription = await SubscribeAsync(system.Api, subscriber, secret, ["org.onap.imagemanager.image.*"]);

        var imageId = await system.CreateImageAsync("hooked");

        var received = (await subscriber.WaitForAsync(r => r.Any(d => d.Subject == imageId.ToString()), "the catalogued event")).First(d => d.Subject == imageId.ToString());
        Assert.Equal(Catalogued, received.Type);
        Assert.Equal("1.0", received.Event["specversion"]!.GetValue<string>());
        Assert.StartsWith("application/cloudevents+json", received.ContentType);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), received.Body)), received.Signature);
        Assert.Equal(1, received.Attempt);
        Assert.All(subscriber.Received, d => Assert.StartsWith("org.onap.imagemanager.image.", d.Type));

        var delivery = await DeliveryAsync(subscription, received.DeliveryId!, d => d["state"]!.GetValue<string>() == "delivered");
        Assert.Equal(received.Event["id"]!.GetValue<string>(), delivery["eventId"]!.GetValue<string>());
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(200, delivery["lastStatus"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_the_subscriber_fails_twice_the_delivery_is_retried_and_each_attempt_recorded_until_it_is_delivered()
    {
        using var subscriber = new WebhookSubscriber();
        subscriber.Answer = d => d.Attempt <= 2 ? (HttpStatusCode.ServiceUnavailable, TimeSpan.Zero) : (HttpStatusCode.NoContent, TimeSpan.Zero);
        var subscription = await SubscribeAsync(system.Api, subscriber, NewSecret(), [Catalogued]);

        var imageId = await system.CreateImageAsync("retried");

        var attempts = await subscriber.WaitForAsync(r => r.Count(d => d.Subject == imageId.ToString()) >= 3, "three attempts");
        var deliveryId = attempts.First(d => d.Subject == imageId.ToString()).DeliveryId!;
        Assert.Equal([1, 2, 3], attempts.Where(d => d.DeliveryId == deliveryId).Select(d => d.Attempt));
        var delivery = await DeliveryAsync(subscription, deliveryId, d => d["state"]!.GetValue<string>() == "delivered");
        Assert.Equal(3, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(204, delivery["lastStatus"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_the_subscriber_answers_too_slowly_the_timeout_is_recorded_and_retried_and_other_subscribers_are_not_held_up()
    {
        using var slow = new WebhookSubscriber();
        using var fast = new WebhookSubscriber();
        var slowness = SystemFixture.WebhookTimeout * 4;
        slow.Answer = d => d.Attempt == 1 ? (HttpStatusCode.OK, slowness) : (HttpStatusCode.OK, TimeSpan.Zero);
        var slowSubscription = await SubscribeAsync(system.Api, slow, NewSecret(), [Catalogued]);
        await SubscribeAsync(system.Api, fast, NewSecret(), [Catalogued]);

        var imageId = await system.CreateImageAsync("slowly-heard");

        // The fast subscriber has it while the slow one's first attempt is still waiting for its answer.
        await fast.WaitForAsync(r => r.Any(d => d.Subject == imageId.ToString()), "the fast subscriber's delivery");
        var second = await slow.WaitForAsync(r => r.Any(d => d.Subject == imageId.ToString() && d.Attempt == 2), "the slow subscriber's second attempt");
        var delivery = await DeliveryAsync(slowSubscription, second.First(d => d.Attempt == 2).DeliveryId!, d => d["state"]!.GetValue<string>() == "delivered");
        Assert.Equal(2, delivery["attempts"]!.GetValue<int>());

        var history = await system.Api.GetFromJsonAsync<JsonObject>($"/api/v1/subscriptions/{slowSubscription}");
        Assert.Equal("active", history!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_subscriber_keeps_failing_it_is_suspended_and_what_comes_meanwhile_is_kept_and_sent_on_resume()
    {
        using var subscriber = new WebhookSubscriber();
        var failing = true;
        subscriber.Answer = _ => (Volatile.Read(ref failing) ? HttpStatusCode.InternalServerError : HttpStatusCode.OK, TimeSpan.Zero);
        var subscription = await SubscribeAsync(system.Api, subscriber, NewSecret(), [Catalogued]);

        // Enough failed attempts in a row for the suspension, whatever else the shared system publishes meanwhile.
        await system.CreateImageAsync("failing-1");
        await system.CreateImageAsync("failing-2");
        var suspended = await Eventually.Get(() => system.Api.GetFromJsonAsync<JsonObject>($"/api/v1/subscriptions/{subscription}")!,
            s => s!["state"]!.GetValue<string>() == "suspended", Patience, "the subscription suspended");
        Assert.Contains("500", suspended!["suspendedReason"]!.GetValue<string>());
        Assert.True(suspended["consecutiveFailures"]!.GetValue<int>() >= SystemFixture.WebhookSuspendAfter);

        // While suspended, a new event is recorded and waits.
        var meanwhile = await system.CreateImageAsync("while-suspended");
        var waiting = await Eventually.Get(() => DeliveriesAsync(subscription, "pending"),
            page => page.Any(d => d!["eventSubject"]!.GetValue<string>() == meanwhile.ToString()),
            Patience, "a delivery waiting while suspended");
        Assert.Equal(0, waiting.Single(d => d!["eventSubject"]!.GetValue<string>() == meanwhile.ToString())!["attempts"]!.GetValue<int>());
        Assert.Empty(subscriber.About(meanwhile));

        Volatile.Write(ref failing, false);
        using var resume = await system.Api.PostAsync($"/api/v1/subscriptions/{subscription}/resume", null);
        var resumed = await resume.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal("active", resumed!["state"]!.GetValue<string>());
        Assert.Equal(0, resumed["consecutiveFailures"]!.GetValue<int>());

        await subscriber.WaitForAsync(r => r.Any(d => d.Subject == meanwhile.ToString()), "the event that waited, after the resume");
    }

    [Fact]
    public async Task When_the_subscriber_answers_binary_each_attempt_fails_with_a_readable_reason_is_retried_and_logs_one_line()
    {
        using var subscriber = new WebhookSubscriber();
        var name = system.Unique("binary-answer");
        bool Ours(ReceivedDelivery d) => d.Event["data"]?["name"]?.GetValue<string>() == name;
        subscriber.Answer = d => (Ours(d) ? HttpStatusCode.InternalServerError : HttpStatusCode.OK, TimeSpan.Zero);
        // NUL bytes, invalid UTF-8, C1 and escape codes, a line break, a signed link and a password in a URL, then noise;
        // under a charset no decoder knows.
        subscriber.AnswerBody = d => Ours(d) ? (HostileBytes.Body(), "text/plain; charset=x-no-such-charset") : null;
        var subscription = await SubscribeAsync(system.Api, subscriber, NewSecret(), [Catalogued]);

        await system.CreateImageAsync("binary-answer");

        var attempts = await subscriber.WaitForAsync(r => r.Count(Ours) >= 3, "three attempts");
        var deliveryId = attempts.First(Ours).DeliveryId!;
        Assert.Equal([1, 2, 3], attempts.Where(d => d.DeliveryId == deliveryId).Select(d => d.Attempt));
        var delivery = await DeliveryAsync(subscription, deliveryId, d => d["state"]!.GetValue<string>() == "failed");
        Assert.Equal((3, 500), (delivery["attempts"]!.GetValue<int>(), delivery["lastStatus"]!.GetValue<int>()));
        var reason = delivery["lastError"]!.GetValue<string>();
        Assert.StartsWith("The subscriber answered 500 Internal Server Error: ", reason, StringComparison.Ordinal);
        HostileBytes.AssertReadable(reason);

        // One line per attempt, with the reason and no stack trace.
        var entries = await Eventually.Get(
            () => Task.FromResult(LogEntries(system.Services["notifications"].LogPath).Where(e => e.Contains(deliveryId, StringComparison.Ordinal)).ToList()),
            e => e.Count >= 3, Patience, "a log line per attempt");
        Assert.Equal(3, entries.Count);
        Assert.All(entries, entry => Assert.DoesNotContain("Exception", entry, StringComparison.Ordinal));
        Assert.All(entries, entry => Assert.Contains("500", entry, StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_a_tenant_subscribes_it_receives_its_own_notifications_and_not_another_tenants()
    {
        using var watcher = new WebhookSubscriber();
        using var subscriber = new WebhookSubscriber();
        using var onboarderA = await system.ClientForAsync(system.Unique("hooks-a"), "onboarder");
        using var onboarderB = await system.ClientForAsync(system.Unique("hooks-b"), "onboarder");
        using var viewerB = await system.ClientForAsync(system.Unique("hooks-b"), "viewer");
        // The operator's subscription gets every tenant's events: once it has all three, each was taken in, and with it
        // the decision for B's subscription (made in the same transaction).
        await SubscribeAsync(system.Api, watcher, NewSecret(), [Catalogued]);
        var subscription = await SubscribeAsync(viewerB, subscriber, NewSecret(), [Catalogued]);
        var created = await viewerB.GetFromJsonAsync<JsonObject>($"/api/v1/subscriptions/{subscription}");
        Assert.Equal(system.Unique("hooks-b"), created!["tenant"]!.GetValue<string>());
        Assert.False(created["allTenants"]!.GetValue<bool>());

        var theirs = await CreateAsync(onboarderA, "for-a");
        var operators = await system.CreateImageAsync("for-operators");
        var mine = await CreateAsync(onboarderB, "for-b");
        await watcher.WaitForAsync(r => new[] { theirs, operators, mine }.All(id => r.Any(d => d.Subject == id.ToString())), "every tenant's events at the operator's subscriber");
        await subscriber.WaitForAsync(r => r.Any(d => d.Subject == mine.ToString()), "B's own image event");

        var recorded = (await DeliveriesAsync(subscription, null)).Select(d => d!["eventSubject"]!.GetValue<string>()).ToList();
        Assert.Contains(mine.ToString(), recorded);
        Assert.DoesNotContain(theirs.ToString(), recorded);
        Assert.DoesNotContain(operators.ToString(), recorded);
        Assert.Empty(subscriber.About(theirs));
        Assert.Empty(subscriber.About(operators));
        using var seenByA = await onboarderA.GetAsync($"/api/v1/subscriptions/{subscription}");
        Assert.Equal(HttpStatusCode.NotFound, seenByA.StatusCode);
    }

    [Fact]
    public async Task When_a_subscription_is_shown_listed_or_patched_its_secret_is_never_in_the_answer()
    {
        using var subscriber = new WebhookSubscriber();
        var secret = NewSecret();
        var subscription = await SubscribeAsync(system.Api, subscriber, secret, []);

        foreach (var path in new[] { $"/api/v1/subscriptions/{subscription}", "/api/v1/subscriptions?limit=1000" })
        {
            var text = await system.Api.GetStringAsync(path);
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        }

        using var patch = await system.Api.PatchAsJsonAsync($"/api/v1/subscriptions/{subscription}", new { secret = NewSecret(), description = "rotated" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.DoesNotContain("secret", await patch.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var delete = await system.Api.DeleteAsync($"/api/v1/subscriptions/{subscription}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await system.Api.GetAsync($"/api/v1/subscriptions/{subscription}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("""{"url":"ftp://127.0.0.1/hook","secret":"0123456789abcdef"}""", "url", "http or https")]
    [InlineData("""{"url":"http://user:pw@127.0.0.1/hook","secret":"0123456789abcdef"}""", "url", "user name or password")]
    [InlineData("""{"url":"http://127.0.0.1/hook","secret":"short"}""", "secret", "16 to 256 characters")]
    [InlineData("""{"url":"http://127.0.0.1/hook"}""", "secret", "16 to 256 characters")]
    [InlineData("""{"url":"http://127.0.0.1/hook","secret":"0123456789abcdef","events":["org.onap.imagemanager.image.exploded"]}""", "events", "matches no notification type")]
    [InlineData("""{"url":"http://127.0.0.1/hook","secret":"0123456789abcdef","events":["org.*.image"]}""", "events", "not an event pattern")]
    public async Task When_a_subscription_is_malformed_it_is_refused_with_the_reason(string body, string field, string reason)
    {
        using var response = await system.Api.PostAsync("/api/v1/subscriptions", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, problem!["errors"]![field]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("limit=1001", "limit")]
    [InlineData("state=lost", "state")]
    [InlineData("marker=abc", "marker")]
    public async Task When_deliveries_are_listed_with_bad_parameters_the_list_is_refused_naming_them(string query, string field)
    {
        using var subscriber = new WebhookSubscriber();
        var subscription = await SubscribeAsync(system.Api, subscriber, NewSecret(), []);
        using var response = await system.Api.GetAsync($"/api/v1/subscriptions/{subscription}/deliveries?{query}");
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]![field]);
    }

    /// <summary>The service's log as entries: a line with the time and level, and the lines under it (message, stack trace).</summary>
    static List<string> LogEntries(string path)
    {
        var entries = new List<string>();
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            if (entries.Count == 0 || (line.Length > 0 && char.IsDigit(line[0])))
            {
                entries.Add(line);
            }
            else
            {
                entries[^1] += "\n" + line;
            }
        }

        return entries;
    }

    internal static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    internal static async Task<Guid> SubscribeAsync(HttpClient client, WebhookSubscriber subscriber, string secret, string[] events)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/subscriptions", new { url = subscriber.Url, events, secret, description = "test" });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"subscribing answered {(int)response.StatusCode}: {body}");
        return Guid.Parse(body!["id"]!.GetValue<string>());
    }

    async Task<JsonArray> DeliveriesAsync(Guid subscription, string? state) =>
        (await system.Api.GetFromJsonAsync<JsonObject>($"/api/v1/subscriptions/{subscription}/deliveries{(state is null ? "" : $"?state={state}")}"))!["deliveries"]!.AsArray();

    async Task<JsonObject> DeliveryAsync(Guid subscription, string deliveryId, Func<JsonObject, bool> done) =>
        (await Eventually.Get(
            async () => (await DeliveriesAsync(subscription, null)).Select(d => d!.AsObject()).FirstOrDefault(d => d["id"]!.GetValue<string>() == deliveryId),
            d => d is not null && done(d), Patience, $"delivery {deliveryId}"))!;


    static async Task<Guid> CreateAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/images", new { name, version = "1", kind = "software-package" });
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating {name} answered {(int)response.StatusCode}: {created}");
        return Guid.Parse(created["id"]!.GetValue<string>());
    }
}
