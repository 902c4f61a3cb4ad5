using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Cancelling a distribution's waiting targets, and retrying its failed ones as a distribution of their own.</summary>
[Collection(SystemCollection.Name)]
public sealed class CancelAndRetryTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_target_waits_for_a_retry_cancel_ends_it_and_the_distribution_completes_cancelled()
    {
        var imageId = await ActiveImageAsync("cancel");
        var dead = await system.RegisterGlanceAsync("cancel-dead", new Uri("http://127.0.0.1:9/"));
        var id = await system.DistributeAsync(imageId, dead);
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/distributions/{id}"),
            d => d["targets"]?[0]?["lastError"] is not null, TimeSpan.FromSeconds(30), "the first failed attempt");

        using var cancelled = await system.Api.PostAsync($"/api/v1/distributions/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        Assert.Equal(1, (await cancelled.Content.ReadFromJsonAsync<JsonObject>())!["cancelledTargets"]!.GetValue<int>());
        var done = await system.WaitForDistributionAsync(id);
        Assert.Equal(("cancelled", "cancelled"), (done["outcome"]!.GetValue<string>(), done["targets"]![0]!["state"]!.GetValue<string>()));
        using var again = await system.Api.PostAsync($"/api/v1/distributions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task When_a_distribution_partly_failed_retry_runs_only_the_failed_targets_as_a_new_distribution()
    {
        var imageId = await ActiveImageAsync("retry-failed");
        var good = await system.RegisterGlanceAsync("retry-good", Infrastructure.Glance1);
        var dead = await system.RegisterGlanceAsync("retry-dead", new Uri("http://127.0.0.1:9/"));
        var id = await system.DistributeAsync(imageId, good, dead);
        var first = await system.WaitForDistributionAsync(id);
        Assert.Equal("partially-failed", first["outcome"]!.GetValue<string>());

        using var retried = await system.Api.PostAsync($"/api/v1/distributions/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        var retryId = Guid.Parse((await retried.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>());
        var retry = await system.WaitForDistributionAsync(retryId);
        Assert.Equal((id.ToString(), 1, dead), (retry["retryOf"]!.GetValue<string>(), retry["targetCount"]!.GetValue<int>(), retry["targets"]![0]!["vimId"]!.GetValue<string>()));
        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        var goodTarget = first["targets"]!.AsArray().Single(t => t!["vimId"]!.GetValue<string>() == good)!;
        using var _ = await glance.DeleteAsync($"/v2/images/{goodTarget["vimImageId"]!.GetValue<string>()}");
    }

    async Task<Guid> ActiveImageAsync(string name)
    {
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, TestImage.Random(4096));
        await system.WaitForStatusAsync(imageId, "active");
        return imageId;
    }
}
