using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Push through regional hubs: simulated Glance VIMs that take pushes, in regions with a real nginx hub
/// (<see cref="RegionalHub"/>) and a Distribution replica placed in the region (<see cref="RegionalSystemFixture"/>). The
/// regional worker reads the image through its hub, so the centre serves it once per region; a region whose worker died,
/// or never ran, is served by the central workers, and its targets say so.
/// </summary>
public sealed class RegionalPushTests(RegionalSystemFixture system, ITestOutputHelper output) : IClassFixture<RegionalSystemFixture>, IAsyncLifetime
{
    const int MiB = 1024 * 1024;

    VimSimulator.VimSimulator _simulator = null!;
    RegionalHub _hub = null!;

    public async Task InitializeAsync()
    {
        _simulator = await VimSimulator.VimSimulator.StartAsync();
        _hub = await RegionalHub.StartAsync(system.ApiAddress);
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task When_six_push_edges_of_a_region_with_a_worker_are_distributed_to_the_hub_fetches_the_image_once()
    {
        var size = 6 * MiB;
        var (imageId, image) = await ActiveImageAsync("regional-push", size);
        await ServeAsync(RegionalSystemFixture.North);
        var edges = await EdgesAsync(RegionalSystemFixture.North, 6, SimulatedVimBehaviour.Healthy);

        var distributionId = await system.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await system.WaitForDistributionAsync(distributionId);

        var targets = await TargetsAsync(distributionId);
        targets.ForEach(t => output.WriteLine(t.ToJsonString()));
        Assert.All(targets, t => Assert.Equal(("active", _hub.Name, null), (State(t), t["hub"]?.GetValue<string>(), t["hubFallback"]?.GetValue<string>())));
        Assert.All(edges, e =>
        {
            var copy = Assert.Single(_simulator.ImagesOf(e.Simulated));
            Assert.Equal((size, image.Sha512), (copy.Record["size"]!.GetValue<long>(), copy.Sha512));
        });

        // Six reads through the hub (one per VIM: the regional worker's, not the centre's), one of them filling the cache.
        var served = _hub.Requests().Where(r => r.ImageId == imageId).ToList();
        served.ForEach(r => output.WriteLine(r.ToString()));
        Assert.Equal(6, served.Count(r => r.Status == 200 && r.BytesSent >= size));
        Assert.Equal(1, served.Count(r => r.Cache == "MISS"));
        Assert.InRange(served.Sum(r => r.UpstreamBytes), size, size + 4096); // the image once, and its response headers
    }

    [Fact]
    public async Task When_the_regional_worker_is_killed_mid_distribution_the_central_workers_finish_its_targets_saying_why()
    {
        // Slow edges (8 s each), so the kill lands while the regional worker pushes to all four.
        var size = 8 * MiB;
        var (imageId, image) = await ActiveImageAsync("regional-killed", size);
        await ServeAsync(RegionalSystemFixture.South);
        var edges = await EdgesAsync(RegionalSystemFixture.South, 4, new SimulatedVimBehaviour { BandwidthBytesPerSecond = MiB });
        var worker = system.RegionalWorker(RegionalSystemFixture.South);

        try
        {
            var distributionId = await system.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
            await Eventually.Get(() => TargetsAsync(distributionId), targets => targets.Count == 4 && targets.All(t => State(t) == "uploading"),
                TimeSpan.FromSeconds(30), "every target to be uploading through the regional worker");
            var before = await TargetsAsync(distributionId);
            Assert.All(before, t => Assert.Equal(_hub.Name, t["hub"]?.GetValue<string>()));
            await worker.KillAsync();
            await system.WaitForDistributionAsync(distributionId, TimeSpan.FromSeconds(120));

            var targets = await TargetsAsync(distributionId);
            targets.ForEach(t => output.WriteLine(t.ToJsonString()));
            Assert.All(targets, t =>
            {
                Assert.Equal("active", State(t));
                Assert.Null(t["hub"]);
                Assert.Contains($"no worker of region '{RegionalSystemFixture.South}' took the upload within", t["hubFallback"]!.GetValue<string>());
            });
            Assert.All(edges, e => Assert.Equal(image.Sha512, Assert.Single(_simulator.ImagesOf(e.Simulated)).Sha512));
        }
        finally
        {
            await worker.RestartAsync();
        }
    }

    [Fact]
    public async Task When_the_regions_hub_is_down_its_worker_reads_the_image_from_the_centre_saying_why()
    {
        var (imageId, image) = await ActiveImageAsync("regional-hub-down", 2 * MiB);
        await ServeAsync(RegionalSystemFixture.North);
        var edges = await EdgesAsync(RegionalSystemFixture.North, 2, SimulatedVimBehaviour.Healthy);
        output.WriteLine(await _hub.KillAsync());

        var distributionId = await system.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await system.WaitForDistributionAsync(distributionId);

        var targets = await TargetsAsync(distributionId);
        targets.ForEach(t => output.WriteLine(t.ToJsonString()));
        Assert.All(targets, t =>
        {
            Assert.Equal(("active", 1), (State(t), t["attempt"]!.GetValue<int>()));
            Assert.Null(t["hub"]);
            var fallback = t["hubFallback"]!.GetValue<string>();
            Assert.Contains($"hub '{_hub.Name}' was unhealthy", fallback);
            Assert.Contains("read from the centre", fallback); // the regional worker's words: it still pushed, reading from the Api
        });
        Assert.All(edges, e => Assert.Equal(image.Sha512, Assert.Single(_simulator.ImagesOf(e.Simulated)).Sha512));
    }

    [Fact]
    public async Task When_a_region_has_a_hub_but_no_worker_ever_ran_its_targets_are_pushed_from_the_centre_at_once()
    {
        var size = 2 * MiB;
        var (imageId, image) = await ActiveImageAsync("regional-none", size);
        await ServeAsync(RegionalSystemFixture.West);
        var edges = await EdgesAsync(RegionalSystemFixture.West, 3, SimulatedVimBehaviour.Healthy);

        var distributionId = await system.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await system.WaitForDistributionAsync(distributionId);

        var targets = await TargetsAsync(distributionId);
        targets.ForEach(t => output.WriteLine(t.ToJsonString()));
        Assert.All(targets, t =>
        {
            Assert.Equal(("active", 1), (State(t), t["attempt"]!.GetValue<int>()));
            Assert.Null(t["hub"]);
            Assert.Contains($"region '{RegionalSystemFixture.West}' has no worker consuming its queue", t["hubFallback"]!.GetValue<string>());
        });
        Assert.All(edges, e => Assert.Equal(image.Sha512, Assert.Single(_simulator.ImagesOf(e.Simulated)).Sha512));
        Assert.DoesNotContain(_hub.Requests(), r => r.ImageId == imageId); // read from the blob store, not through the hub
    }

    /// <summary>This test's hub serves <paramref name="region"/> (replacing whichever hub a test before served it with).</summary>
    async Task ServeAsync(string region)
    {
        var hubs = (await system.GetJsonAsync("/api/v1/hubs"))["hubs"]!.AsArray().Select(h => h!["id"]!.GetValue<string>());
        foreach (var earlier in hubs)
        {
            using var deleted = await system.Api.DeleteAsync($"/api/v1/hubs/{earlier}");
        }

        using var response = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{_hub.Name}", new { baseUrl = _hub.BaseUrl.AbsoluteUri, regions = new[] { region } });
        Assert.True(response.StatusCode is HttpStatusCode.Created, $"PUT hub answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    async Task<List<(string VimId, string Simulated)>> EdgesAsync(string region, int count, SimulatedVimBehaviour behaviour)
    {
        var edges = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var simulated = $"sim_push-{Guid.NewGuid():N}"[..24];
            _simulator.Configure(simulated, behaviour);
            edges.Add((await system.RegisterVimAsync(simulated, _simulator.EndpointOf(simulated), new Dictionary<string, object?> { ["region"] = region }), simulated));
        }

        return edges;
    }

    async Task<List<JsonObject>> TargetsAsync(Guid distributionId) =>
        [.. (await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets"))["targets"]!.AsArray().Select(t => t!.AsObject())];

    static string State(JsonObject target) => target["state"]!.GetValue<string>();

    async Task<(Guid Id, TestImage Image)> ActiveImageAsync(string name, int size)
    {
        var image = TestImage.Random(size);
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        return (imageId, image);
    }
}
