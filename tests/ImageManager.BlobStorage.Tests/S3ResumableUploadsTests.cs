using Amazon.S3.Model;

namespace ImageManager.BlobStorage.Tests;

/// <summary>The resumable upload contract on S3 (the local Swift, a bucket per test), and what only S3 leaves to sweep.</summary>
public sealed class S3ResumableUploadsTests : ResumableUploadsContract
{
    TemporaryS3BlobStore S3 => (TemporaryS3BlobStore)Blobs;

    protected override async Task<ITemporaryBlobStore> CreateAsync() => await TemporaryS3BlobStore.CreateAsync();

    [Fact]
    public async Task When_a_writer_died_before_cleaning_up_the_sweep_removes_its_temporary_object_and_open_multipart_upload_once_expired()
    {
        var client = S3.Bucket.Client;
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3.Bucket.Name, Key = S3BlobStore.IncomingPrefix + "died", ContentBody = "x", UseChunkEncoding = false });
        await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = S3.Bucket.Name, Key = S3BlobStore.IncomingPrefix + "died-too" });

        var early = await S3.Uploads.SweepAsync(CancellationToken.None);
        S3.Clock.Shift = TimeSpan.FromDays(2);
        var late = await S3.Uploads.SweepAsync(CancellationToken.None);

        Assert.Equal((0, 2), (early, late));
        Assert.Empty(await S3.ContentsAsync());
    }
}
