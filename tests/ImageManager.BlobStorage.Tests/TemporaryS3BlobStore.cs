using ImageManager.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage.Tests;

/// <summary>An S3 blob store on a bucket of its own in the local Swift, with 5 MiB parts (S3's smallest) so that a few MiB take the multipart path.</summary>
public sealed class TemporaryS3BlobStore : ITemporaryBlobStore
{
    public const int PartSize = 5 * 1024 * 1024;

    TemporaryS3BlobStore(S3TestBucket bucket, long? copyLimit, TimeSpan? lease)
    {
        Bucket = bucket;
        var options = Options.Create(new BlobStoreOptions
        {
            Kind = BlobStoreKind.S3,
            ResumableUploadLease = lease ?? new BlobStoreOptions().ResumableUploadLease,
            S3 = new S3BlobStoreOptions
            {
                ServiceUrl = Infrastructure.S3Endpoint.ToString(),
                AccessKey = Infrastructure.S3AccessKey,
                SecretKey = Infrastructure.S3SecretKey,
                Bucket = bucket.Name,
                PartSizeBytes = PartSize,
            },
        });
        S3 = new S3Bucket(options);
        Store = copyLimit is { } limit ? new S3BlobStore(S3) { CopyLimit = limit } : new S3BlobStore(S3);
        Uploads = new S3ResumableUploads(S3, Store, options, Clock, NullLogger<S3ResumableUploads>.Instance);
    }

    /// <param name="copyLimit">Above this length the copy to the content address goes part by part (S3: 5 GiB).</param>
    /// <param name="lease">How long a resumable upload's writer keeps others out after its last renewal (by default 30 s).</param>
    public static async Task<TemporaryS3BlobStore> CreateAsync(long? copyLimit = null, TimeSpan? lease = null) =>
        new(await S3TestBucket.CreateAsync(), copyLimit, lease);

    public S3TestBucket Bucket { get; }
    public S3Bucket S3 { get; }
    public ShiftedClock Clock { get; } = new();
    public S3BlobStore Store { get; }
    public S3ResumableUploads Uploads { get; }

    IBlobStore ITemporaryBlobStore.Store => Store;
    IResumableUploads ITemporaryBlobStore.Uploads => Uploads;

    public Task<IReadOnlyList<string>> ContentsAsync() => Bucket.ContentsAsync();

    public async ValueTask DisposeAsync()
    {
        S3.Dispose();
        await Bucket.DisposeAsync();
    }
}
