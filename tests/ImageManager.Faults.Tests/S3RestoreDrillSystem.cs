using System.Globalization;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The restore drill's system with its blobs in S3, as the highly available shape keeps them: a bucket of its own in the
/// local Swift, 5 MiB parts so that a few MiB take the multipart path (an object whose ETag is not its MD5).
/// </summary>
public sealed class S3RestoreDrillSystem() : RestoreDrillSystem("restore-s3", blobsInS3: true)
{
    public const int PartSizeBytes = 5 * 1024 * 1024;

    protected override void Configure(IDictionary<string, string> settings) =>
        settings["BlobStore__S3__PartSizeBytes"] = PartSizeBytes.ToString(CultureInfo.InvariantCulture);
}
