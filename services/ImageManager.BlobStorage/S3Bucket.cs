using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

/// <summary>
/// The blob store's bucket, and the one place that knows what Swift's s3api needs from AWSSDK.S3 4.x: no
/// <c>aws-chunked</c> bodies (Swift answers 501), so every put and part is sent with its length and signed whole; no
/// flexible checksums (Swift ignores <c>x-amz-checksum-*</c>: the stores hash end to end themselves); no
/// <c>DeleteObjects</c> (Swift wants a <c>Content-MD5</c> the SDK no longer sends): objects are deleted one by one.
/// </summary>
public sealed class S3Bucket : IDisposable
{
    readonly AmazonS3Client _client;

    public S3Bucket(IOptions<BlobStoreOptions> options)
    {
        var s3 = options.Value.S3;
        Name = s3.Bucket;
        PartSize = s3.PartSizeBytes;
        _client = new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), new AmazonS3Config
        {
            ServiceURL = s3.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = s3.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Several readers and writers of one blob at once, each holding a connection.
            MaxConnectionsPerServer = 64,
        });
    }

    public string Name { get; }

    public int PartSize { get; }

    public IAmazonS3 Client => _client;

    /// <summary>The length of an object, or <c>null</c> when there is none.</summary>
    public async Task<long?> LengthAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Name, Key = key }, cancellationToken);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception notFound) when (notFound.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Puts a whole object of known length from <paramref name="content"/> (a buffer).</summary>
    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Name,
            Key = key,
            InputStream = AsStream(content),
            UseChunkEncoding = false,
        }, cancellationToken);

    public async Task<string> UploadPartAsync(string key, string uploadId, int partNumber, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var part = await _client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = Name,
            Key = key,
            UploadId = uploadId,
            PartNumber = partNumber,
            InputStream = AsStream(content),
            PartSize = content.Length,
            UseChunkEncoding = false,
        }, cancellationToken);
        return part.ETag;
    }

    /// <summary>Removes an object; one that is already gone is fine.</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Name, Key = key }, cancellationToken);

    /// <summary>Every object under <paramref name="prefix"/>, page by page.</summary>
    public async IAsyncEnumerable<S3Object> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var page = await _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = Name,
                Prefix = prefix,
                ContinuationToken = continuation,
            }, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return item;
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <summary>A stream over the buffer, without a copy; the SDK reads it to sign the body and then to send it.</summary>
    static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    public void Dispose() => _client.Dispose();
}
