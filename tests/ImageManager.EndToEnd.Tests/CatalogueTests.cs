using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The catalogue through the Api: queries, conditional edits and deactivation, as a caller uses them.</summary>
[Collection(SystemCollection.Name)]
public sealed class CatalogueTests(SystemFixture system)
{
    [Fact]
    public async Task When_the_catalogue_is_used_through_the_api_it_filters_patches_with_etags_and_refuses_bad_queries()
    {
        var vendor = $"e2e-vendor-{Guid.NewGuid():N}";
        using var created = await system.Api.PostAsJsonAsync("/api/v1/images", new { name = $"cat-{Guid.NewGuid():N}", version = "1.0", kind = "software-package", vendor, tags = new[] { "edge" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var listed = await system.GetJsonAsync($"/api/v1/images?vendor={vendor}&tag=edge");
        Assert.Equal([id], listed["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        using var read = await system.Api.GetAsync($"/api/v1/images/{id}");
        var etag = read.Headers.ETag!.Tag;
        using (var patched = await Patch(id, """{"tags": ["edge", "lts"]}""", etag))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            Assert.NotEqual(etag, patched.Headers.ETag!.Tag);
        }

        using (var stale = await Patch(id, """{"description": "late"}""", etag))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        }

        Assert.Single((await system.GetJsonAsync($"/api/v1/images?vendor={vendor}&tag=lts"))["images"]!.AsArray());
        using var bad = await system.Api.GetAsync($"/api/v1/images?vendr={vendor}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("vendr", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_image_is_deactivated_it_cannot_be_distributed_until_reactivated()
    {
        var imageId = await system.CreateImageAsync("deactivated");
        await system.UploadAsync(imageId, TestImage.Random(5000));
        await system.WaitForStatusAsync(imageId, "active");
        var vim = await system.RegisterGlanceAsync("deactivation", Infrastructure.Glance1);

        using (var deactivated = await system.Api.PostAsync($"/api/v1/images/{imageId}/deactivate", null))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        using var refused = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { vim } });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("deactivated", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using (var reactivated = await system.Api.PostAsync($"/api/v1/images/{imageId}/reactivate", null))
        {
            Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        }

        var distribution = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));
        Assert.Equal("succeeded", distribution["outcome"]!.GetValue<string>());
        var vimImageId = distribution["targets"]![0]!["vimImageId"]!.GetValue<string>();
        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        using var _ = await glance.DeleteAsync($"/v2/images/{vimImageId}");
    }

    [Fact]
    public async Task When_ensure_present_finds_an_image_already_on_a_vim_both_the_on_vim_filter_and_the_vims_image_list_show_it()
    {
        var image = TestImage.Random(40_000);
        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance2 };
        var byHand = await PutIntoGlanceAsync(glance, image);
        try
        {
            var imageId = await system.CreateImageAsync("found-on-vim", sha256: image.Sha256);
            await system.UploadAsync(imageId, image);
            await system.WaitForStatusAsync(imageId, "active");
            var vim = await system.RegisterGlanceAsync("found-on-vim", Infrastructure.Glance2);

            var distribution = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));

            var target = distribution["targets"]!.AsArray().Single()!;
            Assert.Equal(("skipped", byHand), (target["state"]!.GetValue<string>(), target["vimImageId"]!.GetValue<string>()));
            var onVim = await Eventually.Get(() => system.GetJsonAsync($"/api/v1/vims/{vim}/images"),
                list => list["images"]?.AsArray().Count > 0, TimeSpan.FromSeconds(30), "the VIM's image list to show the image");
            Assert.Equal((imageId.ToString(), "skipped"), (onVim["images"]![0]!["imageId"]!.GetValue<string>(), onVim["images"]![0]!["state"]!.GetValue<string>()));
            var listed = await system.GetJsonAsync($"/api/v1/images?onVim={vim}");
            Assert.Equal([imageId.ToString()], listed["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        }
        finally
        {
            using var _ = await glance.DeleteAsync($"/v2/images/{byHand}");
        }
    }

    /// <summary>An image put into Glance by hand, as an operator would: Glance hashes the bytes itself (os_hash_algo sha512).</summary>
    static async Task<string> PutIntoGlanceAsync(HttpClient glance, TestImage image)
    {
        using var created = await glance.PostAsJsonAsync("/v2/images", new { name = $"by-hand-{Guid.NewGuid():N}", disk_format = "raw", container_format = "bare" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var put = await glance.PutAsync($"/v2/images/{id}/file", image.Content());
        put.EnsureSuccessStatusCode();
        var stored = (await glance.GetFromJsonAsync<JsonObject>($"/v2/images/{id}"))!;
        Assert.Equal(("active", "sha512", image.Sha512), (stored["status"]!.GetValue<string>(), stored["os_hash_algo"]!.GetValue<string>(), stored["os_hash_value"]!.GetValue<string>()));
        return id;
    }

    Task<HttpResponseMessage> Patch(string id, string patch, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{id}")
        {
            Content = new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return system.Api.SendAsync(request);
    }
}
