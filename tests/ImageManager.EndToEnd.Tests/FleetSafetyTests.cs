using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Image Manager deletes on a VIM only what it created and nothing else relies on, and never loses track of a copy:
/// against the real Glance VIMs, each case of the fleet-safety issue.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class FleetSafetyTests(SystemFixture system)
{
    static Uri Glance => Infrastructure.Glance2;

    [Fact]
    public async Task When_an_operator_made_glance_image_has_the_same_bytes_the_distribution_adopts_it_and_a_purge_leaves_it()
    {
        var bytes = TestImage.Random(70_000);
        var handMade = await GlanceByHand.CreateImageAsync(Glance, system.Unique("operators-own"), bytes.Bytes);
        var imageId = await ActiveImageAsync(system.Api, "adopted", bytes);
        var vim = await system.RegisterGlanceAsync("adopt", Glance);

        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));
        var target = done["targets"]![0]!;
        Assert.Equal(("skipped", handMade), (target["state"]!.GetValue<string>(), target["vimImageId"]!.GetValue<string>()));
        var location = await LocationAsync(imageId, vim, l => l["state"]!.GetValue<string>() == "skipped");
        Assert.Equal("found", location["origin"]!.GetValue<string>());
        var adopted = await CopyAsync(vim, handMade);
        Assert.Equal((false, imageId.ToString(), "found"),
            (adopted["createdByImageManager"]!.GetValue<bool>(), adopted["reliedOnBy"]![0]!["imageId"]!.GetValue<string>(), adopted["reliedOnBy"]![0]!["origin"]!.GetValue<string>()));

        await PurgeAsync(imageId);

        var stillThere = await SystemFixture.FindGlanceImageAsync(Glance, handMade);
        Assert.Equal("active", stillThere?["status"]?.GetValue<string>());
        var released = await CopyAsync(vim, handMade);
        Assert.Equal(("present", 0), (released["state"]!.GetValue<string>(), released["reliedOnBy"]!.AsArray().Count));
        await GlanceByHand.DeleteAsync(Glance, handMade);
    }

    [Fact]
    public async Task When_two_tenants_have_the_same_bytes_each_gets_its_own_copy_and_one_purge_leaves_the_other()
    {
        using var onboarderA = await system.ClientForAsync("fleet-a", "onboarder");
        using var distributorA = await system.ClientForAsync("fleet-a", "distributor");
        using var onboarderB = await system.ClientForAsync("fleet-b", "onboarder");
        using var distributorB = await system.ClientForAsync("fleet-b", "distributor");
        var bytes = TestImage.Random(60_000);
        var imageA = await ActiveImageAsync(onboarderA, "same-bytes-a", bytes);
        var imageB = await ActiveImageAsync(onboarderB, "same-bytes-b", bytes);
        var vim = await system.RegisterGlanceAsync("two-tenants", Glance);
        var copyA = await DistributedCopyAsync(distributorA, imageA, vim, "active");

        var copyB = await DistributedCopyAsync(distributorB, imageB, vim, "active");

        Assert.NotEqual(copyA, copyB); // B neither relies on A's copy nor learns its id
        await PurgeAsync(imageA);
        Assert.Null(await SystemFixture.FindGlanceImageAsync(Glance, copyA));
        Assert.Equal("active", (await SystemFixture.FindGlanceImageAsync(Glance, copyB))?["status"]?.GetValue<string>());
        var locationB = await LocationAsync(imageB, vim, l => l["state"]!.GetValue<string>() == "active");
        Assert.Equal((copyB, "created"), (locationB["vimImageId"]!.GetValue<string>(), locationB["origin"]!.GetValue<string>()));
        await PurgeAsync(imageB);
        Assert.Null(await SystemFixture.FindGlanceImageAsync(Glance, copyB));
    }

    [Fact]
    public async Task When_two_images_of_one_owner_share_a_copy_it_is_deleted_only_with_the_last_of_them()
    {
        var bytes = TestImage.Random(50_000);
        var first = await ActiveImageAsync(system.Api, "shared-first", bytes);
        var second = await ActiveImageAsync(system.Api, "shared-second", bytes);
        var vim = await system.RegisterGlanceAsync("one-owner", Glance);
        var copy = await DistributedCopyAsync(system.Api, first, vim, "active");
        Assert.Equal(copy, await DistributedCopyAsync(system.Api, second, vim, "skipped"));

        var firstRemoval = await PurgeAsync(first);

        Assert.Equal(("released", "succeeded"), (firstRemoval["targets"]![0]!["state"]!.GetValue<string>(), firstRemoval["outcome"]!.GetValue<string>()));
        Assert.Contains("1 other catalogue image", firstRemoval["targets"]![0]!["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(await SystemFixture.FindGlanceImageAsync(Glance, copy));
        var secondRemoval = await PurgeAsync(second);
        Assert.Equal("removed", secondRemoval["targets"]![0]!["state"]!.GetValue<string>());
        Assert.Null(await SystemFixture.FindGlanceImageAsync(Glance, copy));
    }

    [Fact]
    public async Task When_the_vim_refuses_the_removal_the_image_stays_deleting_with_the_reason_and_purging_again_retries()
    {
        var (imageId, vim, copy) = await ProtectedCopyAsync("refused");

        using var purging = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true");

        Assert.Equal(HttpStatusCode.Accepted, purging.StatusCode);
        var location = await LocationAsync(imageId, vim, l => l["state"]!.GetValue<string>() == "removal-failed");
        Assert.Contains("protected", location["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(copy, location["vimImageId"]!.GetValue<string>());
        Assert.Equal("deleting", (await system.GetJsonAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>());
        await GlanceByHand.SetProtectedAsync(Glance, copy, false);
        await PurgeAsync(imageId);
        Assert.Null(await SystemFixture.FindGlanceImageAsync(Glance, copy));
    }

    [Fact]
    public async Task When_a_removal_failed_its_retry_is_a_removal_readable_at_once_that_removes_the_copy()
    {
        var (imageId, vim, copy) = await ProtectedCopyAsync("retried-removal");
        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/removals", new { imageId, vimIds = new[] { vim } });
        var removalId = Guid.Parse((await accepted.Content.ReadFromJsonAsync<JsonObject>())!["removalId"]!.GetValue<string>());
        var failed = await system.WaitForDistributionAsync(removalId);
        Assert.Equal("failed", failed["targets"]![0]!["state"]!.GetValue<string>());
        await GlanceByHand.SetProtectedAsync(Glance, copy, false);

        using var retried = await system.Api.PostAsync($"/api/v1/distributions/{removalId}/retry", null);
        using var read = await system.Api.GetAsync(retried.Headers.Location);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK), (retried.StatusCode, read.StatusCode));
        var retry = await system.WaitForDistributionAsync(Guid.Parse((await retried.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>()));
        Assert.Equal(("removal", "removed"), (retry["kind"]!.GetValue<string>(), retry["targets"]![0]!["state"]!.GetValue<string>()));
        Assert.Null(await SystemFixture.FindGlanceImageAsync(Glance, copy));
        await PurgeAsync(imageId);
    }

    [Fact]
    public async Task When_an_operator_forgets_a_location_the_image_leaves_the_catalogue_and_the_vim_is_not_touched()
    {
        var (imageId, vim, copy) = await ProtectedCopyAsync("forgotten");
        using (var purging = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true"))
        {
            Assert.Equal(HttpStatusCode.Accepted, purging.StatusCode);
        }

        await LocationAsync(imageId, vim, l => l["state"]!.GetValue<string>() == "removal-failed");

        using var forgot = await system.Api.DeleteAsync($"/api/v1/images/{imageId}/locations/{vim}");

        Assert.Equal(HttpStatusCode.OK, forgot.StatusCode);
        Assert.Equal(copy, (await forgot.Content.ReadFromJsonAsync<JsonObject>())!["forgottenCopies"]![0]!.GetValue<string>());
        await WaitGoneAsync(imageId);
        Assert.NotNull(await SystemFixture.FindGlanceImageAsync(Glance, copy));
        await Eventually.Get(() => system.GetJsonAsync("/api/v1/audit?action=image.location.forget"),
            audit => audit["records"]!.AsArray().Any(r => r!["path"]?.GetValue<string>()?.Contains(imageId.ToString(), StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(30), "the audit record of the forgetting");
        await GlanceByHand.DeleteAsync(Glance, copy);
    }

    [Fact]
    public async Task When_an_image_is_purged_while_a_target_uploads_no_copy_is_left_on_the_vim_untracked()
    {
        var imageId = await ActiveImageAsync(system.Api, "purged-mid-upload", TestImage.Random(3 * 1024 * 1024));
        var vim = await system.RegisterVimAsync("throttled", Glance, new Dictionary<string, object?> { ["limits"] = new { bandwidthBytesPerSecond = 1024 * 1024 } });
        var distributionId = await system.DistributeAsync(imageId, vim);
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/distributions/{distributionId}"),
            d => d["targets"]?[0]?["state"]?.GetValue<string>() == "uploading", TimeSpan.FromSeconds(30), "the upload to start");

        using (var purging = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true"))
        {
            Assert.Contains(purging.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.NoContent });
        }

        var distribution = await system.WaitForDistributionAsync(distributionId, TimeSpan.FromSeconds(120));
        await WaitGoneAsync(imageId);
        var target = distribution["targets"]![0]!;
        Assert.True(target["state"]!.GetValue<string>() == "cancelled", $"the target ended {target}");
        await Eventually.Get(() => GlanceByHand.ImagesMadeForAsync(Glance, imageId), made => made.Count == 0, TimeSpan.FromSeconds(60),
            $"Glance to hold no copy made for image {imageId} (target: {target})");
        var ledger = await system.GetJsonAsync($"/api/v1/vims/{vim}/copies");
        Assert.All(ledger["copies"]!.AsArray(), copy => Assert.Equal("removed", copy!["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_a_distribution_is_open_delete_is_refused_naming_it_and_purge_cancels_it()
    {
        var imageId = await ActiveImageAsync(system.Api, "open-distribution", TestImage.Random(4096));
        var dead = await system.RegisterGlanceAsync("open-dead", new Uri("http://127.0.0.1:9/"));
        var distributionId = await system.DistributeAsync(imageId, dead);
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/distributions/{distributionId}"),
            d => d["targets"]?[0]?["lastError"] is not null, TimeSpan.FromSeconds(30), "the first failed attempt");

        using var refused = await system.Api.DeleteAsync($"/api/v1/images/{imageId}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(distributionId.ToString(), await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("active", (await system.GetJsonAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>());
        using var purged = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true");
        Assert.True(purged.IsSuccessStatusCode, $"purge answered {(int)purged.StatusCode}");
        var distribution = await system.WaitForDistributionAsync(distributionId);
        Assert.Equal(("cancelled", "cancelled"), (distribution["outcome"]!.GetValue<string>(), distribution["targets"]![0]!["state"]!.GetValue<string>()));
        await WaitGoneAsync(imageId);
    }

    [Fact]
    public async Task When_an_image_is_removed_from_chosen_vims_it_stays_in_the_catalogue_and_on_the_others()
    {
        var imageId = await ActiveImageAsync(system.Api, "removed-from-one", TestImage.Random(40_000));
        var keep = await system.RegisterGlanceAsync("remove-keep", Infrastructure.Glance1);
        var drop = await system.RegisterGlanceAsync("remove-drop", Glance);
        var placed = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, keep, drop));
        string CopyOn(string vimId) => placed["targets"]!.AsArray().Single(t => t!["vimId"]!.GetValue<string>() == vimId)!["vimImageId"]!.GetValue<string>();
        await LocationAsync(imageId, drop, l => l["state"]!.GetValue<string>() == "active");

        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/removals", new { imageId, vimIds = new[] { drop } });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var removalId = Guid.Parse((await accepted.Content.ReadFromJsonAsync<JsonObject>())!["removalId"]!.GetValue<string>());
        var removal = await system.WaitForDistributionAsync(removalId);
        Assert.Equal(("removal", "succeeded", "removed"),
            (removal["kind"]!.GetValue<string>(), removal["outcome"]!.GetValue<string>(), removal["targets"]![0]!["state"]!.GetValue<string>()));
        Assert.Null(await SystemFixture.FindGlanceImageAsync(Glance, CopyOn(drop)));
        Assert.NotNull(await SystemFixture.FindGlanceImageAsync(Infrastructure.Glance1, CopyOn(keep)));
        var locations = await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            l => l["locations"]!.AsArray().Count == 1, TimeSpan.FromSeconds(30), "the removed location to go");
        Assert.Equal(keep, locations["locations"]![0]!["vimId"]!.GetValue<string>());
        Assert.Equal("active", (await system.GetJsonAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>());
        await PurgeAsync(imageId);
    }

    [Fact]
    public async Task When_a_removal_chooses_vims_by_selector_only_those_lose_the_image()
    {
        var imageId = await ActiveImageAsync(system.Api, "removed-by-tag", TestImage.Random(20_000));
        var tag = system.Unique("retire");
        var keep = await system.RegisterGlanceAsync("tag-keep", Infrastructure.Glance1);
        var drop = await system.RegisterVimAsync("tag-drop", Glance, new Dictionary<string, object?> { ["tags"] = new[] { tag } });
        await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, keep, drop));

        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/removals", new { imageId, selector = new { tags = new[] { tag } } });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var removal = await system.WaitForDistributionAsync(Guid.Parse((await accepted.Content.ReadFromJsonAsync<JsonObject>())!["removalId"]!.GetValue<string>()));
        Assert.Equal((1, drop, "removed"),
            (removal["targetCount"]!.GetValue<int>(), removal["targets"]![0]!["vimId"]!.GetValue<string>(), removal["targets"]![0]!["state"]!.GetValue<string>()));
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            l => l["locations"]!.AsArray().Select(x => x!["vimId"]!.GetValue<string>()).SequenceEqual([keep]), TimeSpan.FromSeconds(30), "only the kept location");
        await PurgeAsync(imageId);
    }

    /// <summary>An image distributed to the Glance VIM whose copy there was then made protected by the VIM's operator.</summary>
    async Task<(Guid ImageId, string Vim, string Copy)> ProtectedCopyAsync(string name)
    {
        var imageId = await ActiveImageAsync(system.Api, name, TestImage.Random(30_000));
        var vim = await system.RegisterGlanceAsync(name, Glance);
        var copy = await DistributedCopyAsync(system.Api, imageId, vim, "active");
        await LocationAsync(imageId, vim, l => l["state"]!.GetValue<string>() == "active");
        await GlanceByHand.SetProtectedAsync(Glance, copy, true);
        return (imageId, vim, copy);
    }

    async Task<Guid> ActiveImageAsync(HttpClient caller, string name, TestImage bytes)
    {
        using var created = await caller.PostAsJsonAsync("/api/v1/images", new
        {
            name = system.Unique(name),
            version = "1.0.0",
            kind = "vm-image",
            diskFormat = "raw",
            containerFormat = "bare",
        });
        var body = await created.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"creating {name} answered {(int)created.StatusCode}: {body}");
        var imageId = Guid.Parse(body!["id"]!.GetValue<string>());
        using var uploaded = await caller.PutAsync($"/api/v1/images/{imageId}/file", bytes.Content());
        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        await system.WaitForStatusAsync(imageId, "active");
        return imageId;
    }

    /// <summary>Distributes as <paramref name="caller"/>, expects the one target to end in <paramref name="state"/>; returns the copy's id on the VIM.</summary>
    async Task<string> DistributedCopyAsync(HttpClient caller, Guid imageId, string vim, string state)
    {
        using var accepted = await caller.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { vim } });
        var body = await accepted.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"distribute answered {(int)accepted.StatusCode}: {body}");
        var done = await system.WaitForDistributionAsync(Guid.Parse(body!["distributionId"]!.GetValue<string>()));
        var target = done["targets"]![0]!;
        Assert.True(target["state"]!.GetValue<string>() == state, $"the target ended {target}, not {state}");
        return target["vimImageId"]!.GetValue<string>();
    }

    /// <summary>One copy in the VIM's ledger (<c>GET /vims/{id}/copies</c>).</summary>
    async Task<JsonNode> CopyAsync(string vim, string vimImageId) =>
        (await system.GetJsonAsync($"/api/v1/vims/{vim}/copies"))["copies"]!.AsArray().Single(c => c!["vimImageId"]!.GetValue<string>() == vimImageId)!;

    Task<JsonNode> LocationAsync(Guid imageId, string vim, Func<JsonNode, bool> condition) =>
        Eventually.Get(
            async () => (await system.GetJsonAsync($"/api/v1/images/{imageId}/locations"))["locations"]?.AsArray().FirstOrDefault(l => l!["vimId"]!.GetValue<string>() == vim),
            location => location is not null && condition(location),
            TimeSpan.FromSeconds(60),
            $"the location of {imageId} on {vim}")!;

    /// <summary>Purges the image and waits until it has left the catalogue; returns the removal (the last one that ran for the image).</summary>
    async Task<JsonObject> PurgeAsync(Guid imageId)
    {
        using (var purging = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true"))
        {
            Assert.True(purging.IsSuccessStatusCode, $"purge answered {(int)purging.StatusCode}: {await purging.Content.ReadAsStringAsync()}");
        }

        await WaitGoneAsync(imageId);
        var removal = await Eventually.Get(
            async () => (await system.GetJsonAsync($"/api/v1/distributions?imageId={imageId}"))["distributions"]!.AsArray().FirstOrDefault(d => d!["kind"]!.GetValue<string>() == "removal"),
            found => found is not null, TimeSpan.FromSeconds(30), $"a removal of {imageId}");
        return await system.WaitForDistributionAsync(Guid.Parse(removal!["id"]!.GetValue<string>()));
    }

    Task WaitGoneAsync(Guid imageId) =>
        Eventually.Get(async () => (await system.Api.GetAsync($"/api/v1/images/{imageId}")).StatusCode,
            status => status == HttpStatusCode.NotFound, TimeSpan.FromSeconds(90), $"image {imageId} to leave the catalogue");
}
