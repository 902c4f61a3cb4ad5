namespace ImageManager.BlobStorage;

/// <summary>Bound from <c>BlobStore:S3</c>; checked by <see cref="BlobStoreOptions"/> when <c>BlobStore:Kind</c> is <c>s3</c>.</summary>
public sealed class S3BlobStoreOptions
{
    /// <summary>The S3 endpoint, e.g. <c>http://127.0.0.1:8091</c> (Swift's proxy with s3api). Buckets are addressed by path.</summary>
    public string ServiceUrl { get; set; } = "";

    public string AccessKey { get; set; } = "";

    /// <summary>Never logged, never part of a validation message.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The bucket, created beforehand (by the deployment, or the tests' fixture).</summary>
    public string Bucket { get; set; } = "";

    /// <summary>
    /// The size of a multipart upload's part, and of the pieces a resumable upload is kept in. A streaming put holds two
    /// parts in memory (one filling, one sending), whatever the blob's size. S3 allows 10,000 parts but Swift's s3api
    /// 1,000, so parts double in size every 250 (16 MiB parts: 4 GB in the first 250, 60 GB in 1,000).
    /// </summary>
    public int PartSizeBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The AWS signing region; any value for Swift, which answers to <c>us-east-1</c> by default.</summary>
    public string Region { get; set; } = "us-east-1";
}
