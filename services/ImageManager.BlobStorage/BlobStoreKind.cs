namespace ImageManager.BlobStorage;

/// <summary>Where the blobs live (<c>BlobStore:Kind</c>, case-insensitive).</summary>
public enum BlobStoreKind
{
    /// <summary>A folder (<c>BlobStore:Root</c>): one machine, or one shared volume.</summary>
    FileSystem,

    /// <summary>A bucket of an S3-compatible object store (<c>BlobStore:S3</c>): OpenStack Swift's s3api, Ceph RGW.</summary>
    S3,
}
