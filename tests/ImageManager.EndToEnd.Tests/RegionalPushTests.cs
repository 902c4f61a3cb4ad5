using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The regional push scenarios on classic queues, and those that need no second run on quorum queues.</summary>
public sealed class RegionalPushTests(RegionalSystemFixture system, ITestOutputHelper output)
    : RegionalPushScenarios(system, output), IClassFixture<RegionalSystemFixture>
{
    [Fact]
    public async Task When_six_push_edges_of_a_region_with_a_worker_are_distributed_to_the_hub_fetches_the_image_once()
    {
        var size = 6 * MiB;
        var (imageId, image) = await ActiveImageAsync("regional-push", size);
        await ServeAsync(RegionalSystemFixture.North);
        var edges = await EdgesAsync(RegionalSystemFixture.North, 6, SimulatedVimBehaviour.Healthy);

        var distributionId = await System.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await System.WaitForDistributionAsync(distributionId);

        var targets = await TargetsAsync(distributionId);
        targets.ForEach(t => Output.WriteLine(t.ToJsonString()));
        Assert.All(targets, t => Assert.Equal(("active", Hub.Name, null), (State(t), t["hub"]?.GetValue<string>(), t["hubFallback"]?.GetValue<string>())));
        Assert.All(edges, e =>
        {
            var copy = Assert.Single(Simulator.ImagesOf(e.Simulated));
            Assert.Equal((size, image.Sha512), (copy.Record["size"]!.GetValue<long>(), copy.Sha512));
        });

        // Six reads through the hub (one per VIM: the regional worker's, not the centre's), one of them filling the cache.
        var served = Hub.Requests().Where(r => r.ImageId == imageId).ToList();
        served.ForEach(r => Output.WriteLine(r.ToString()));
        Assert.Equal(6, served.Count(r => r.Status == 200 && r.BytesSent >= size));
        Assert.Equal(1, served.Count(r => r.Cache == "MISS"));
        Assert.InRange(served.Sum(r => r.UpstreamBytes), size, size + 4096); // the image once, and its response headers
    }

    [Fact]
    public async Task When_the_regions_hub_is_down_its_worker_reads_the_image_from_the_centre_saying_why()
    {
        var (imageId, image) = await ActiveImageAsync("regional-hub-down", 2 * MiB);
        await ServeAsync(RegionalSystemFixture.North);
        var edges = await EdgesAsync(RegionalSystemFixture.North, 2, SimulatedVimBehaviour.Healthy);
        Output.WriteLine(await Hub.KillAsync());

        var distributionId = await System.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await System.WaitForDistributionAsync(distributionId);

        var targets = await TargetsAsync(distributionId);
        targets.ForEach(t => Output.WriteLine(t.ToJsonString()));
        Assert.All(targets, t =>
        {
            Assert.Equal(("active", 1), (State(t), t["attempt"]!.GetValue<int>()));
            Assert.Null(t["hub"]);
            var fallback = t["hubFallback"]!.GetValue<string>();
            Assert.Contains($"hub '{Hub.Name}' was unhealthy", fallback);
            Assert.Contains("read from the centre", fallback); // the regional worker's words: it still pushed, reading from the Api
        });
        Assert.All(edges, e => Assert.Equal(image.Sha512, Assert.Single(Simulator.ImagesOf(e.Simulated)).Sha512));
    }

    [Fact]
    public async Task When_a_region_has_a_hub_but_no_worker_ever_ran_its_targets_are_pushed_from_the_centre_at_once()
    {
        var size = 2 * MiB;
        var (imageId, image) = await ActiveImageAsync("regional-none", size);
        await ServeAsync(RegionalSystemFixture.West);
        var edges = await EdgesAsync(RegionalSystemFixture.West, 3, SimulatedVimBehaviour.Healthy);

        var distributionId = await System.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await System.WaitForDistributionAsync(distributionId);

        var targets = await TargetsAsync(distributionId);
        targets.ForEach(t => Output.WriteLine(t.ToJsonString()));
        Assert.All(targets, t =>
        {
            Assert.Equal(("active", 1), (State(t), t["attempt"]!.GetValue<int>()));
            Assert.Null(t["hub"]);
            Assert.Contains($"region '{RegionalSystemFixture.West}' has no worker consuming its queue", t["hubFallback"]!.GetValue<string>());
        });
        Assert.All(edges, e => Assert.Equal(image.Sha512, Assert.Single(Simulator.ImagesOf(e.Simulated)).Sha512));
        Assert.DoesNotContain(Hub.Requests(), r => r.ImageId == imageId); // read from the blob store, not through the hub
    }

}
