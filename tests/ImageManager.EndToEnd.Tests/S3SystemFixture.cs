using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The whole system with its blobs in S3: a bucket of its own in the local Swift, 5 MiB parts so that a few MiB take the multipart path.</summary>
public sealed class S3SystemFixture() : ServiceSystem("e2e-s3", new RabbitMqBroker(), blobsInS3: true)
{
    protected override void Configure(IDictionary<string, string> settings) =>
        settings["BlobStore__S3__PartSizeBytes"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
