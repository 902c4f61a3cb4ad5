using ImageManager.Distribution.Regions;

namespace ImageManager.Distribution.Tests.Regions;

/// <summary>The names and addresses of a region's upload queues, and the region read back from a queue's address.</summary>
public sealed class RegionalQueuesTests
{
    [Theory]
    [InlineData("north", true)]
    [InlineData("RegionOne", true)]
    [InlineData("eu-west_1.edge", true)]
    [InlineData("odd region", false)]
    [InlineData("-north", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void When_a_region_names_queues_only_letters_digits_and_dot_dash_underscore_fit(string? region, bool fits) =>
        Assert.Equal(fits, RegionalQueues.Fits(region));

    [Fact]
    public void When_a_region_is_given_its_queues_hand_over_to_the_central_ones()
    {
        Assert.Equal(("upload-image-to-vims.region-north", "upload-image-to-vim.region-north"), (RegionalQueues.BatchQueue("north"), RegionalQueues.SingleQueue("north")));
        Assert.Equal(("upload-image-to-vims", "upload-image-to-vim"), (RegionalQueues.BatchQueue(null), RegionalQueues.SingleQueue(null)));
        Assert.Equal("upload-image-to-vim", RegionalQueues.CentralOf("upload-image-to-vim.region-north"));
        Assert.Equal(new Uri("exchange:upload-image-to-vim.region-north?alternateexchange=upload-image-to-vim"), RegionalQueues.SingleAddress("north"));
    }

    [Theory]
    [InlineData("rabbitmq://127.0.0.1:5673/vhost/upload-image-to-vims.region-north?alternateexchange=upload-image-to-vims", "north")]
    [InlineData("rabbitmq://127.0.0.1:5673/upload-image-to-vim.region-eu-1", "eu-1")]
    [InlineData("rabbitmq://127.0.0.1:5673/vhost/upload-image-to-vims", null)]
    [InlineData("rabbitmq://127.0.0.1:5673/vhost/scheduler", null)]
    public void When_an_address_is_a_regional_queue_its_region_is_read_back(string address, string? region) =>
        Assert.Equal(region, RegionalQueues.RegionOf(new Uri(address)));
}
