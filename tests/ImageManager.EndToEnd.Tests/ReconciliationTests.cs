using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Reconciliation through the whole system against the real Glance VIMs: an image deleted from Glance behind our back
/// is found drifted, recorded and published, and repair puts it back by a new distribution; the intact one is left
/// alone. The pass is scoped to the test's image, so other tests' images on the same Glance are not touched.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ReconciliationTests(SystemFixture system)
{
    [Fact]
    public async Task When_an_image_is_deleted_from_glance_behind_our_back_it_is_found_drifted_published_and_repair_uploads_it_again()
    {
        var bytes = TestImage.Random(16_384);
        var imageId = await system.CreateImageAsync("reconcile");
        await system.UploadAsync(imageId, bytes);
        await system.WaitForStatusAsync(imageId, "active");
        var lostOn = await system.RegisterGlanceAsync("reconcile-lost", Infrastructure.Glance1);
        var keptOn = await system.RegisterGlanceAsync("reconcile-kept", Infrastructure.Glance2);
        var distributionId = await system.DistributeAsync(imageId, lostOn, keptOn);
        var distributed = await system.WaitForDistributionAsync(distributionId);
        string VimImageOn(JsonObject distribution, string vimId) =>
            distribution["targets"]!.AsArray().Single(t => t!["vimId"]!.GetValue<string>() == vimId)!["vimImageId"]!.GetValue<string>();
        var lost = VimImageOn(distributed, lostOn);
        var kept = VimImageOn(distributed, keptOn);
        using (var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 })
        {
            using var deleted = await glance.DeleteAsync($"/v2/images/{lost}");
            deleted.EnsureSuccessStatusCode();
        }

        using var run = await system.DistributionService.PostAsync($"/internal/v1/reconciliation/run?imageId={imageId}&repair=true", null);

        run.EnsureSuccessStatusCode();
        var report = (await run.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((2, 1, 0), (report["pairs"]!.GetValue<int>(), report["intact"]!.GetValue<int>(), report["unchecked"]!.AsArray().Count));
        var drift = Assert.Single(report["drifted"]!.AsArray())!;
        Assert.Equal(lostOn, drift["vimId"]!.GetValue<string>());
        Assert.Contains(lost, drift["problem"]!.GetValue<string>(), StringComparison.Ordinal);

        // Recorded on the target and published.
        var drifted = Assert.Single((await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets?state=drifted"))["targets"]!.AsArray())!;
        Assert.Equal((lostOn, drift["problem"]!.GetValue<string>()), (drifted["vimId"]!.GetValue<string>(), drifted["lastError"]!.GetValue<string>()));
        await Eventually.Get(() => Task.FromResult(BusRecorder.All<VimImageStateChanged>().Where(e => e.ImageId == imageId && e.State == TargetStates.Drifted).ToList()),
            events => events.Count > 0, TimeSpan.FromSeconds(30), "the drifted event");
        Assert.Equal((distributionId, lostOn, lost), BusRecorder.All<VimImageStateChanged>().Where(e => e.ImageId == imageId && e.State == TargetStates.Drifted).Select(e => (e.DistributionId, e.VimId, e.VimImageId!)).Single());

        // Repaired: a distribution of its own uploads the bytes to that VIM again.
        var repairId = Guid.Parse(drift["repairDistributionId"]!.GetValue<string>());
        var repair = await system.WaitForDistributionAsync(repairId);
        Assert.Equal(("succeeded", lostOn, "active"), (repair["outcome"]!.GetValue<string>(), repair["targets"]![0]!["vimId"]!.GetValue<string>(), repair["targets"]![0]!["state"]!.GetValue<string>()));
        var restored = await SystemFixture.ReadGlanceImageAsync(Infrastructure.Glance1, VimImageOn(repair, lostOn));
        Assert.Equal(("active", bytes.Sha512), (restored["status"]!.GetValue<string>(), restored["os_hash_value"]!.GetValue<string>()));
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            locations => locations["locations"]!.AsArray().Any(l => l!["vimId"]!.GetValue<string>() == lostOn && l["state"]!.GetValue<string>() == "active"),
            TimeSpan.FromSeconds(30), "the catalogue to show the image active on the repaired VIM again");

        // The intact one: still there, its target untouched.
        Assert.Equal("active", (await SystemFixture.ReadGlanceImageAsync(Infrastructure.Glance2, kept))["status"]!.GetValue<string>());
        var keptTarget = (await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets?state=active"))["targets"]!.AsArray().Single()!;
        Assert.Equal(keptOn, keptTarget["vimId"]!.GetValue<string>());

        using var glance1 = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        using var glance2 = new HttpClient { BaseAddress = Infrastructure.Glance2 };
        using var _ = await glance1.DeleteAsync($"/v2/images/{VimImageOn(repair, lostOn)}");
        using var __ = await glance2.DeleteAsync($"/v2/images/{kept}");
    }
}
