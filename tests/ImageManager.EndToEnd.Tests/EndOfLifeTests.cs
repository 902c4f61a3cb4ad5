using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// End of life that means something, through the running system and a real Glance: an image PATCHed to an end of life in
/// the past is no longer <c>latest</c>, its distribution is refused with 409 naming the date, a distributor may not force
/// it (403), and an operator forcing it distributes it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class EndOfLifeTests(SystemFixture system)
{
    [Fact]
    public async Task When_an_image_is_past_its_end_of_life_it_is_not_latest_is_refused_and_distributes_only_when_an_operator_forces_it()
    {
        var bytes = TestImage.Random(64 * 1024);
        var imageId = await system.CreateImageAsync("end-of-life", sha256: bytes.Sha256);
        await system.UploadAsync(imageId, bytes);
        var image = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal("active", image["status"]!.GetValue<string>());
        var name = image["name"]!.GetValue<string>();
        var glance = await system.RegisterGlanceAsync("end-of-life-glance", Infrastructure.Glance1);
        Assert.Single(await LatestAsync(name));

        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}")
        {
            Content = new StringContent("""{"endOfLife": "2020-01-01"}""", Encoding.UTF8, "application/merge-patch+json"),
        })
        using (var patched = await system.Api.SendAsync(patch))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Empty(await LatestAsync(name));
        using var refused = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { glance } });
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"distribute answered {(int)refused.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"Image {name} 1.0.0 reached its end of life on 2020-01-01; an operator may distribute it anyway with force: true.", problem["detail"]!.GetValue<string>());

        using var distributor = await system.ClientForAsync(system.Unique("eol-tenant"), "distributor");
        using var notOperator = await distributor.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { glance }, force = true });
        Assert.Equal(HttpStatusCode.Forbidden, notOperator.StatusCode);

        var distributionId = await system.DistributeAsync(new { imageId, vimIds = new[] { glance }, force = true });
        var distribution = await system.WaitForDistributionAsync(distributionId);
        Assert.Equal("succeeded", distribution["outcome"]!.GetValue<string>());
        var target = Assert.Single(distribution["targets"]!.AsArray())!;
        using var glanceClient = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        using var _ = await glanceClient.DeleteAsync($"/v2/images/{target["vimImageId"]!.GetValue<string>()}");
    }

    async Task<JsonArray> LatestAsync(string name) =>
        (await system.GetJsonAsync($"/api/v1/images?name={Uri.EscapeDataString(name)}&version=latest"))["images"]!.AsArray();
}
