namespace ImageManager.Topology;

/// <summary>Blobs in an S3 bucket (OpenStack Swift's s3api, Ceph RGW) instead of a folder: every service gets <c>BlobStore__Kind=s3</c> and these.</summary>
/// <param name="ServiceUrl">The S3 endpoint, e.g. <c>http://127.0.0.1:8091</c>.</param>
/// <param name="Bucket">An existing bucket.</param>
public sealed record BlobBucket(Uri ServiceUrl, string AccessKey, string SecretKey, string Bucket)
{
    /// <summary>Never the secret: the record may end up in a log.</summary>
    public override string ToString() => $"s3 bucket {Bucket} at {ServiceUrl} (access key {AccessKey})";
}
