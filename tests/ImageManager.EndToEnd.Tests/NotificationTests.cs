using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Subscribers poll topics DMaaP style and receive CloudEvents: every consumer group every message once, the
/// consumers of a group sharing them, messages waiting while nobody polls, a poll waiting for the first one; each
/// tenant its own notifications.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class NotificationTests(SystemFixture system)
{
    const string Lifecycle = "IMAGE-LIFECYCLE";
    const string Distribution = "IMAGE-DISTRIBUTION";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_two_consumer_groups_poll_each_receives_every_lifecycle_notification_as_a_cloud_event()
    {
        var (first, second) = (system.Unique("group-1"), system.Unique("group-2"));
        await PollAsync(system.Api, Lifecycle, first, "c1", timeoutMs: 0); // a group exists from its first poll on
        await PollAsync(system.Api, Lifecycle, second, "c1", timeoutMs: 0);
        var image = TestImage.Random(48 * 1024);
        var imageId = await system.CreateImageAsync("notified", sha256: image.Sha256);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");

        foreach (var group in new[] { first, second })
        {
            var received = await CollectAsync(system.Api, Lifecycle, group, seen => Types(seen, imageId).IsSupersetOf(["catalogued", "validated"]));
            var catalogued = received.Single(e => e["subject"]!.GetValue<string>() == imageId.ToString() && e["type"]!.GetValue<string>() == "org.onap.imagemanager.image.catalogued");
            Assert.Equal("1.0", catalogued["specversion"]!.GetValue<string>());
            Assert.Equal("/imagemanager/images", catalogued["source"]!.GetValue<string>());
            Assert.Equal("application/json", catalogued["datacontenttype"]!.GetValue<string>());
            Assert.Equal("operator", catalogued["tenant"]!.GetValue<string>());
            Assert.True(Guid.TryParse(catalogued["id"]!.GetValue<string>(), out _));
            Assert.Equal(imageId.ToString(), catalogued["data"]!["imageId"]!.GetValue<string>());
            Assert.True(DateTimeOffset.TryParse(catalogued["time"]!.GetValue<string>(), out _));
        }
    }

    [Fact]
    public async Task When_consumers_share_a_group_they_split_its_messages_without_repeats()
    {
        var group = system.Unique("shared");
        await PollAsync(system.Api, Lifecycle, group, "c1", timeoutMs: 0);
        var images = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            images.Add(await system.CreateImageAsync($"shared-{i}"));
        }

        var byFirst = await PollAsync(system.Api, Lifecycle, group, "c1", timeoutMs: 5000, limit: 2);
        var bySecond = await CollectAsync(system.Api, Lifecycle, group, seen => images.All(id => Types(seen.Concat(byFirst), id).Contains("catalogued")), consumer: "c2");

        Assert.InRange(byFirst.Count, 1, 2);
        var all = byFirst.Concat(bySecond).Where(e => images.Contains(Guid.Parse(e["subject"]!.GetValue<string>()))).ToList();
        Assert.Equal(4, all.Count);
        Assert.Equal(4, all.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task When_a_poll_waits_it_answers_with_the_notification_that_arrives_meanwhile()
    {
        var group = system.Unique("waiting");
        await PollAsync(system.Api, Lifecycle, group, "c1", timeoutMs: 0);

        var waiting = PollAsync(system.Api, Lifecycle, group, "c1", timeoutMs: 30_000);
        var imageId = await system.CreateImageAsync("awaited");
        var received = await waiting;

        Assert.Contains(received, e => e["subject"]!.GetValue<string>() == imageId.ToString());
    }

    [Fact]
    public async Task When_tenants_poll_each_receives_its_own_images_notifications_only()
    {
        using var onboarderA = await system.ClientForAsync("tenant-a", "onboarder");
        using var viewerB = await system.ClientForAsync("tenant-b", "viewer");
        var (groupA, groupB) = (system.Unique("tenant-a"), system.Unique("tenant-b"));
        await PollAsync(onboarderA, Lifecycle, groupA, "c1", timeoutMs: 0);
        await PollAsync(viewerB, Lifecycle, groupB, "c1", timeoutMs: 0);

        using var created = await onboarderA.PostAsJsonAsync("/api/v1/images", new { name = system.Unique("of-tenant-a"), version = "1", kind = "software-package" });
        var imageId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var forA = await CollectAsync(onboarderA, Lifecycle, groupA, seen => seen.Any(e => e["subject"]!.GetValue<string>() == imageId));
        Assert.Equal("tenant-a", forA.First(e => e["subject"]!.GetValue<string>() == imageId)["tenant"]!.GetValue<string>());
        var forB = await PollAsync(viewerB, Lifecycle, groupB, "c1", timeoutMs: 3000);
        Assert.DoesNotContain(forB, e => e["subject"]!.GetValue<string>() == imageId);
        Assert.All(forB, e => Assert.Equal("tenant-b", e["tenant"]?.GetValue<string>()));
    }

    [Fact]
    public async Task When_an_image_is_distributed_the_start_the_targets_progress_each_final_target_and_the_completion_are_notified()
    {
        var group = system.Unique("distribution");
        await PollAsync(system.Api, Distribution, group, "c1", timeoutMs: 0);
        var image = TestImage.Random(40 * 1024);
        var imageId = await system.CreateImageAsync("notified-distribution", sha256: image.Sha256);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        var vimId = await system.RegisterGlanceAsync("notified", Infrastructure.Glance1);

        var distributionId = await system.DistributeAsync(imageId, vimId);
        await system.WaitForDistributionAsync(distributionId);

        var received = await CollectAsync(system.Api, Distribution, group, seen => Types(seen, distributionId).Contains("completed"));
        var types = received.Where(e => e["subject"]!.GetValue<string>() == distributionId.ToString()).Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Equal("org.onap.imagemanager.distribution.started", types[0]);
        Assert.Equal("org.onap.imagemanager.distribution.completed", types[^1]);
        // Every change comes in progress events (a change that another overtook within one batch is told at its furthest,
        // so "uploading" may not show for a small image); the final state also comes alone, as target.changed.
        var ofThis = received.Where(e => e["subject"]!.GetValue<string>() == distributionId.ToString()).ToList();
        var progressed = ofThis.Where(e => e["type"]!.GetValue<string>().EndsWith(".progress", StringComparison.Ordinal))
            .SelectMany(e => e["data"]!["targets"]!.AsArray()).Select(t => (t!["vimId"]!.GetValue<string>(), t["state"]!.GetValue<string>())).ToList();
        Assert.Contains((vimId, "active"), progressed);
        var final = Assert.Single(ofThis, e => e["type"]!.GetValue<string>().EndsWith("target.changed", StringComparison.Ordinal));
        Assert.Equal((vimId, "active", "operator"), (final["data"]!["vimId"]!.GetValue<string>(), final["data"]!["state"]!.GetValue<string>(), final["tenant"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_an_image_is_distributed_to_several_vims_a_consumer_group_and_a_webhook_each_receive_every_target_s_final_state_once()
    {
        const string targetChanged = "org.onap.imagemanager.distribution.target.changed";
        await using var simulator = await VimSimulator.VimSimulator.StartAsync();
        var group = system.Unique("targets");
        await PollAsync(system.Api, Distribution, group, "c1", timeoutMs: 0);
        using var subscriber = new WebhookSubscriber();
        await WebhookTests.SubscribeAsync(system.Api, subscriber, WebhookTests.NewSecret(), [targetChanged]);
        var image = TestImage.Random(8 * 1024);
        var imageId = await system.CreateImageAsync("notified-targets", sha256: image.Sha256);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        var vims = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            vims.Add(await system.RegisterVimAsync($"targets-{i}", simulator.EndpointOf(system.Unique($"simulated-{i}"))));
        }

        var distributionId = await system.DistributeAsync(imageId, [.. vims]);
        await system.WaitForDistributionAsync(distributionId);

        // Final states recorded together travel in one broker message; a small limit splits such a batch over several
        // polls, and each event still comes once. The rest of a split batch waits behind what came meanwhile (the
        // completion too): collected until all are there.
        List<JsonObject> Finals(IEnumerable<JsonObject> seen) =>
            seen.Where(e => e["subject"]!.GetValue<string>() == distributionId.ToString() && e["type"]!.GetValue<string>() == targetChanged).ToList();
        var received = await CollectAsync(system.Api, Distribution, group,
            seen => Types(seen, distributionId).Contains("completed") && Finals(seen).Count >= vims.Count, limit: 5);
        var finals = Finals(received);
        Assert.Equal(vims.Order(), finals.Select(e => e["data"]!["vimId"]!.GetValue<string>()).Order());
        Assert.Equal(vims.Count, finals.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());
        var hooked = await subscriber.WaitForAsync(r => r.Count(d => d.Subject == distributionId.ToString()) >= vims.Count, "each target's final state");
        Assert.Equal(finals.Select(e => e["id"]!.GetValue<string>()).Order(),
            hooked.Where(d => d.Subject == distributionId.ToString()).Select(d => d.Event["id"]!.GetValue<string>()).Distinct().Order());
    }

    [Theory]
    [InlineData("NO-SUCH-TOPIC/g/c1", HttpStatusCode.NotFound, "no topic")]
    [InlineData("IMAGE-LIFECYCLE/g/c1?timeout=600000", HttpStatusCode.BadRequest, "timeout is a whole number")]
    [InlineData("IMAGE-LIFECYCLE/g/c1?limit=0", HttpStatusCode.BadRequest, "limit is a whole number")]
    [InlineData("IMAGE-LIFECYCLE/no%20spaces/c1", HttpStatusCode.BadRequest, "consumerGroup is")]
    public async Task When_a_poll_is_malformed_it_is_refused_saying_why(string path, HttpStatusCode status, string reason)
    {
        using var response = await system.Api.GetAsync($"/api/v1/events/{path}");

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    static HashSet<string> Types(IEnumerable<JsonObject> seen, Guid subject) =>
        seen.Where(e => e["subject"]!.GetValue<string>() == subject.ToString()).Select(e => e["type"]!.GetValue<string>().Split('.')[^1]).ToHashSet();

    static async Task<List<JsonObject>> PollAsync(HttpClient client, string topic, string group, string consumer, int timeoutMs, int limit = 100)
    {
        using var response = await client.GetAsync($"/api/v1/events/{topic}/{group}/{consumer}?timeout={timeoutMs}&limit={limit}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"polling {topic}/{group} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsArray().Select(m => JsonNode.Parse(m!.GetValue<string>())!.AsObject()).ToList();
    }

    /// <summary>Polls until what the group received satisfies <paramref name="done"/>; all of it, in order.</summary>
    static async Task<List<JsonObject>> CollectAsync(HttpClient client, string topic, string group, Func<List<JsonObject>, bool> done, string consumer = "c1", int limit = 100)
    {
        var seen = new List<JsonObject>();
        return await Eventually.Get(async () =>
        {
            seen.AddRange(await PollAsync(client, topic, group, consumer, timeoutMs: 2000, limit));
            return seen;
        }, done, Patience, $"notifications on {topic} for {group}");
    }
}
