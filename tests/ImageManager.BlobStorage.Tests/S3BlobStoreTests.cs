using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

/// <summary>The blob store contract on S3 (the local Swift's s3api, a bucket per test), and what only S3 does.</summary>
public sealed class S3BlobStoreTests : BlobStoreContract
{
    protected override async Task<ITemporaryBlobStore> CreateAsync() => await TemporaryS3BlobStore.CreateAsync();

    [Fact]
    public async Task When_a_blob_is_above_the_single_copy_limit_it_reaches_its_address_part_by_part()
    {
        await using var blobs = await TemporaryS3BlobStore.CreateAsync(copyLimit: TemporaryS3BlobStore.PartSize * 2L);
        var bytes = RandomNumberGenerator.GetBytes((3 * TemporaryS3BlobStore.PartSize) + 77);

        var blob = await blobs.Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
        await using var stored = (await blobs.Store.OpenReadAsync(blob.Sha256, CancellationToken.None))!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal([S3BlobStore.KeyOf(blob.Sha256)], await blobs.ContentsAsync());
    }

    [Fact]
    public async Task When_a_put_fails_after_parts_were_sent_no_object_and_no_multipart_upload_remain()
    {
        var bytes = RandomNumberGenerator.GetBytes(Large);
        using var cancel = new CancellationTokenSource();
        var body = new BreaksAfterStream(bytes, Large - 10, onBreak: cancel.Cancel);

        await Assert.ThrowsAnyAsync<Exception>(() => Blobs.Store.PutAsync(body, cancel.Token));

        Assert.Empty(await Blobs.ContentsAsync());
    }
}
