using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Downloading an image's bytes, whole or by HTTP Range.</summary>
[Collection(SystemCollection.Name)]
public sealed class DownloadTests(SystemFixture system)
{
    [Fact]
    public async Task When_an_active_image_is_downloaded_it_is_served_whole_and_by_range_with_its_sha256_as_etag()
    {
        var image = TestImage.Random(3 * 1024 * 1024 + 11);
        var imageId = await system.CreateImageAsync("download");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");

        using var whole = await system.Api.GetAsync($"/api/v1/images/{imageId}/file");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal($"\"{image.Sha256}\"", whole.Headers.ETag!.Tag);
        Assert.Equal(image.Sha512, Convert.ToHexStringLower(SHA512.HashData(await whole.Content.ReadAsByteArrayAsync())));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/images/{imageId}/file");
        request.Headers.Range = new RangeHeaderValue(1_000_000, 1_999_999);
        using var part = await system.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(image.Bytes.AsSpan(1_000_000, 1_000_000).ToArray(), await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task When_an_image_that_is_not_active_is_downloaded_it_is_refused_with_409()
    {
        var imageId = await system.CreateImageAsync("download-queued");

        using var response = await system.Api.GetAsync($"/api/v1/images/{imageId}/file");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("only an active image", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
