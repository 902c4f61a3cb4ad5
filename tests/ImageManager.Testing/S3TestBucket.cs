using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;

namespace ImageManager.Testing;

/// <summary>
/// An empty bucket of the test's own in the local Swift (<see cref="Infrastructure.S3Endpoint"/>), named
/// <c>imagemanager-test-{unique}</c>; disposing it deletes it (<see cref="DeleteAsync"/>).
/// </summary>
public sealed class S3TestBucket : IAsyncDisposable
{
    S3TestBucket(AmazonS3Client client, string name) => (Client, Name) = (client, name);

    public string Name { get; }

    /// <summary>A client for looking into the bucket (what a test expects to find, or not).</summary>
    public AmazonS3Client Client { get; }

    public static async Task<S3TestBucket> CreateAsync()
    {
        var client = new AmazonS3Client(new BasicAWSCredentials(Infrastructure.S3AccessKey, Infrastructure.S3SecretKey), new AmazonS3Config
        {
            ServiceURL = Infrastructure.S3Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var name = $"imagemanager-test-{Guid.NewGuid():N}";
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return new S3TestBucket(client, name);
    }

    /// <summary>The keys of every object, and <c>multipart:{key}</c> for every multipart upload still open.</summary>
    public async Task<IReadOnlyList<string>> ContentsAsync()
    {
        var contents = new List<string>();
        var objects = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name, MaxKeys = 1000 });
        contents.AddRange((objects.S3Objects ?? []).Select(o => o.Key));
        var uploads = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Name });
        contents.AddRange((uploads.MultipartUploads ?? []).Select(u => "multipart:" + u.Key));
        return contents;
    }

    /// <summary>The SHA-256 of an object's bytes, as the blob store names blobs; <c>null</c> when there is no such object.</summary>
    public async Task<string?> Sha256OfAsync(string key)
    {
        try
        {
            using var response = await Client.GetObjectAsync(Name, key);
            return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(response.ResponseStream));
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DeleteAsync();
        Client.Dispose();
    }

    /// <summary>Aborts the open multipart uploads, deletes every object and the bucket itself; a bucket already gone is left so.</summary>
    public async Task DeleteAsync()
    {
        if (!await AmazonS3Util.DoesS3BucketExistV2Async(Client, Name))
        {
            return;
        }

        var uploads = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Name });
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            await Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Name, Key = upload.Key, UploadId = upload.UploadId });
        }

        ListObjectsV2Response page;
        do
        {
            page = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name });
            foreach (var item in page.S3Objects ?? [])
            {
                await Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Name, Key = item.Key });
            }
        }
        while (page.IsTruncated == true);

        await Client.DeleteBucketAsync(new DeleteBucketRequest { BucketName = Name });
    }
}
