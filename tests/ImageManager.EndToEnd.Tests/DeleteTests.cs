using System.Net;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Deleting images: on no VIM, on a VIM (refused, or purged from it first), protected.</summary>
[Collection(SystemCollection.Name)]
public sealed class DeleteTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_rejected_image_is_deleted_its_record_and_bytes_go()
    {
        var image = TestImage.Random(100_000);
        var imageId = await system.CreateImageAsync("delete-rejected", sha256: new string('f', 64));
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "rejected");
        Assert.True(File.Exists(BlobPath(image)));

        using var deleted = await system.Api.DeleteAsync($"/api/v1/images/{imageId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await system.Api.GetAsync($"/api/v1/images/{imageId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.False(File.Exists(BlobPath(image)));
    }

    [Fact]
    public async Task When_another_image_has_the_same_bytes_they_stay()
    {
        var image = TestImage.Random(50_000);
        var kept = await system.CreateImageAsync("delete-shared-kept");
        var doomed = await system.CreateImageAsync("delete-shared-doomed", sha256: new string('e', 64));
        await system.UploadAsync(kept, image);
        await system.UploadAsync(doomed, image);
        await system.WaitForStatusAsync(doomed, "rejected");

        using var deleted = await system.Api.DeleteAsync($"/api/v1/images/{doomed}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(File.Exists(BlobPath(image)));
    }

    [Fact]
    public async Task When_an_active_image_is_on_no_vim_it_is_deleted_with_its_bytes()
    {
        var image = TestImage.Random(2000);
        var imageId = await system.CreateImageAsync("delete-active");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");

        using var deleted = await system.Api.DeleteAsync($"/api/v1/images/{imageId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(File.Exists(BlobPath(image)));
    }

    [Fact]
    public async Task When_an_image_is_on_a_vim_delete_is_refused_and_purge_removes_it_from_the_vim_then_from_the_catalogue()
    {
        var image = TestImage.Random(300_000);
        var imageId = await system.CreateImageAsync("delete-purge");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        var vim = await system.RegisterGlanceAsync("purge", Infrastructure.Glance2);
        var distribution = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));
        var vimImageId = distribution["targets"]![0]!["vimImageId"]!.GetValue<string>();
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            l => l["locations"]!.AsArray().Any(x => x!["state"]!.GetValue<string>() == "active"), TimeSpan.FromSeconds(30), "the location");

        using var refused = await system.Api.DeleteAsync($"/api/v1/images/{imageId}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(vim, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var purging = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true");
        Assert.Equal(HttpStatusCode.Accepted, purging.StatusCode);
        await Eventually.Get(async () => (await system.Api.GetAsync($"/api/v1/images/{imageId}")).StatusCode,
            status => status == HttpStatusCode.NotFound, TimeSpan.FromSeconds(60), "the purged image to leave the catalogue");
        Assert.Null(await SystemFixture.FindGlanceImageAsync(Infrastructure.Glance2, vimImageId));
        await Eventually.Get(() => Task.FromResult(File.Exists(BlobPath(image))), exists => !exists, TimeSpan.FromSeconds(30), "the blob to go");
    }

    [Fact]
    public async Task When_an_image_is_protected_delete_is_refused_until_the_flag_is_cleared()
    {
        var imageId = await system.CreateImageAsync("delete-protected");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}")
        {
            Content = new StringContent("""{"protected": true}""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        })
        using (var patched = await system.Api.SendAsync(patch))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        using var refused = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("protected", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    string BlobPath(TestImage image) => Path.Combine(system.BlobRoot, "sha256", image.Sha256[..2], image.Sha256[2..4], image.Sha256);
}
