using System.Net;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Deleting images that are on no VIM.</summary>
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
    public async Task Should_refuse_to_delete_an_active_image_for_now()
    {
        var imageId = await system.CreateImageAsync("delete-active");
        await system.UploadAsync(imageId, TestImage.Random(1000));
        await system.WaitForStatusAsync(imageId, "active");

        using var refused = await system.Api.DeleteAsync($"/api/v1/images/{imageId}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("may be on VIMs", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    string BlobPath(TestImage image) => Path.Combine(system.BlobRoot, "sha256", image.Sha256[..2], image.Sha256[2..4], image.Sha256);
}
