using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The whole pipeline through HTTP only: create, upload, validate, register VIMs, distribute, watch, check Glance.</summary>
[Collection(SystemCollection.Name)]
public sealed class PipelineTests(SystemFixture system)
{

    [Fact]
    public async Task When_an_image_is_uploaded_and_distributed_it_is_active_with_our_sha512_in_both_glances()
    {
        var image = TestImage.Random(3 * 1024 * 1024 + 17);
        var imageId = await system.CreateImageAsync("pipeline", sha256: image.Sha256);
        Assert.Equal("queued", (await system.GetJsonAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>());

        using (var upload = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", image.Content()))
        {
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
            var accepted = await upload.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal("validating", accepted!["status"]!.GetValue<string>());
            Assert.Equal(image.Sha256, accepted["sha256"]!.GetValue<string>());
        }

        var active = await system.WaitForStatusAsync(imageId, "active");
        Assert.Equal(image.Sha512, active["sha512"]!.GetValue<string>()); // measured by Validation

        var vim1 = await system.RegisterGlanceAsync("glance1", Infrastructure.Glance1);
        var vim2 = await system.RegisterGlanceAsync("glance2", Infrastructure.Glance2);
        var distributionId = await Distribute(imageId, vim1, vim2);

        var distribution = await WaitForCompletion(distributionId);
        Assert.Equal("succeeded", distribution["outcome"]!.GetValue<string>());
        Assert.Equal(2, distribution["counts"]!["active"]!.GetValue<int>());

        var targets = distribution["targets"]!.AsArray();
        foreach (var (vimId, glance) in new[] { (vim1, Infrastructure.Glance1), (vim2, Infrastructure.Glance2) })
        {
            var target = targets.Single(t => t!["vimId"]!.GetValue<string>() == vimId)!;
            Assert.Equal("active", target["state"]!.GetValue<string>());
            var glanceImage = await ReadGlanceImage(glance, target["vimImageId"]!.GetValue<string>());
            Assert.Equal("active", glanceImage["status"]!.GetValue<string>());
            Assert.Equal("sha512", glanceImage["os_hash_algo"]!.GetValue<string>());
            Assert.Equal(image.Sha512, glanceImage["os_hash_value"]!.GetValue<string>());
            Assert.Equal(image.Bytes.Length, glanceImage["size"]!.GetValue<long>());
            await DeleteGlanceImage(glance, target["vimImageId"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task When_a_vim_answers_503_twice_the_upload_is_retried_through_the_scheduler_and_ends_active()
    {
        var image = TestImage.Random(256 * 1024);
        var imageId = await system.CreateImageAsync("retry");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        system.FaultyGlance.FailCreates = 2;
        var vim = await system.RegisterGlanceAsync("flaky", system.FaultyGlance.Address);

        var distribution = await WaitForCompletion(await Distribute(imageId, vim));

        Assert.Equal("succeeded", distribution["outcome"]!.GetValue<string>());
        var target = distribution["targets"]!.AsArray().Single()!;
        Assert.Equal("active", target["state"]!.GetValue<string>());
        Assert.Equal(3, target["attempt"]!.GetValue<int>());
        Assert.Contains("503", target["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, system.FaultyGlance.FailuresServed);
        var glanceImage = await ReadGlanceImage(Infrastructure.Glance1, target["vimImageId"]!.GetValue<string>());
        Assert.Equal(image.Sha512, glanceImage["os_hash_value"]!.GetValue<string>());
        await DeleteGlanceImage(Infrastructure.Glance1, target["vimImageId"]!.GetValue<string>());
    }

    Task<Guid> Distribute(Guid imageId, params string[] vimIds) => system.DistributeAsync(imageId, vimIds);

    Task<JsonObject> WaitForCompletion(Guid distributionId) => system.WaitForDistributionAsync(distributionId);

    static Task<JsonObject> ReadGlanceImage(Uri glance, string id) => SystemFixture.ReadGlanceImageAsync(glance, id);

    static async Task DeleteGlanceImage(Uri glance, string id)
    {
        using var http = new HttpClient { BaseAddress = glance };
        using var response = await http.DeleteAsync($"/v2/images/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
