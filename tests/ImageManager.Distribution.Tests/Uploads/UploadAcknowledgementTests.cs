using ImageManager.Testing;

namespace ImageManager.Distribution.Tests.Uploads;

/// <summary>
/// An upload holds its command unacknowledged until it ends. A broker that closes the channel of a consumer holding a
/// delivery longer than its <c>consumer_timeout</c> (RabbitMQ's default: 30 minutes) would cut every longer upload and
/// have it begun again from nothing, for ever: a multi-GiB image over a thin link would never arrive. The brokers the
/// project starts (the shared node, a private node, and the cluster's nodes, all from one template) wait longer than
/// the longest upload.
/// </summary>
public sealed class UploadAcknowledgementTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("ack-timeout")]
    public async Task When_an_upload_lasts_its_whole_timeout_the_broker_still_waits_for_its_acknowledgement(string? privateNode)
    {
        var longestUpload = new DistributionOptions().UploadTimeout;
        var broker = privateNode is null ? new RabbitMqBroker() : RabbitMqBroker.Private(privateNode);
        await broker.InitializeAsync();
        try
        {
            var timeout = await broker.ConsumerTimeoutAsync();

            Assert.True(timeout is null || timeout > longestUpload, $"the broker closes a consumer's channel after {timeout}, and an upload may last {longestUpload}");
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }
}
