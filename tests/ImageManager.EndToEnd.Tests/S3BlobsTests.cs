using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The system with its blobs in S3 (<see cref="S3SystemFixture"/>): upload in pieces, validation, download by range.</summary>
public sealed class S3BlobsTests(S3SystemFixture system) : IClassFixture<S3SystemFixture>
{
    [Fact]
    public async Task When_blobs_are_in_s3_an_image_uploaded_in_pieces_is_validated_and_downloaded_whole_and_by_range()
    {
        var image = TestImage.Random((2 * 5 * 1024 * 1024) + 1_234_567);
        var imageId = await system.CreateImageAsync("s3-blobs", sha512: image.Sha512);

        Assert.Equal(HttpStatusCode.NoContent, await PatchAsync(imageId, image, 0, 6 * 1024 * 1024, announce: true));
        Assert.Equal(HttpStatusCode.Accepted, await PatchAsync(imageId, image, 6 * 1024 * 1024, image.Bytes.Length - (6 * 1024 * 1024), announce: false));
        var active = await system.WaitForStatusAsync(imageId, "active", "rejected");

        Assert.Equal(("active", image.Sha256), (active["status"]!.GetValue<string>(), active["sha256"]!.GetValue<string>()));
        using var whole = await system.Api.GetAsync($"/api/v1/images/{imageId}/file");
        Assert.Equal(image.Sha512, Convert.ToHexStringLower(SHA512.HashData(await whole.Content.ReadAsByteArrayAsync())));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/images/{imageId}/file");
        request.Headers.Range = new RangeHeaderValue(7_000_000, 7_999_999);
        using var part = await system.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(image.Bytes.AsSpan(7_000_000, 1_000_000).ToArray(), await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(["sha256/" + image.Sha256], await system.Bucket!.ContentsAsync()); // the upload's pieces are gone
    }

    async Task<HttpStatusCode> PatchAsync(Guid imageId, TestImage image, int offset, int count, bool announce)
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}/file");
        patch.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (announce)
        {
            patch.Headers.Add("Upload-Length", image.Bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        patch.Content = new ByteArrayContent(image.Bytes, offset, count);
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var response = await system.Api.SendAsync(patch);
        return response.StatusCode;
    }
}
