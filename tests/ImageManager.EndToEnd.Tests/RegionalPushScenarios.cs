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
/// or never ran, is served by the central workers, and its targets say so. What runs on both kinds of queue is here
/// (<see cref="RegionalPushTests"/>: classic queues, <see cref="RegionalQuorumPushTests"/>: quorum queues).
/// </summary>
public abstract class RegionalPushScenarios(RegionalSystemFixture system, ITestOutputHelper output) : IAsyncLifetime
{
    protected const int MiB = 1024 * 1024;

    protected RegionalSystemFixture System => system;

    protected ITestOutputHelper Output => output;

    protected VimSimulator.VimSimulator Simulator { get; private set; } = null!;

    protected RegionalHub Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = await VimSimulator.VimSimulator.StartAsync();
        Hub = await RegionalHub.StartAsync(system.ApiAddress);
    }

    public async Task DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await Hub.DisposeAsync();
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
            Assert.All(before, t => Assert.Equal(Hub.Name, t["hub"]?.GetValue<string>()));
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
            Assert.All(edges, e => Assert.Equal(image.Sha512, Assert.Single(Simulator.ImagesOf(e.Simulated)).Sha512));
        }
        finally
        {
            await worker.RestartAsync();
        }
    }

    /// <summary>This test's hub serves <paramref name="region"/> (replacing whichever hub a test before served it with).</summary>
    protected async Task ServeAsync(string region)
    {
        var hubs = (await system.GetJsonAsync("/api/v1/hubs"))["hubs"]!.AsArray().Select(h => h!["id"]!.GetValue<string>());
        foreach (var earlier in hubs)
        {
            using var deleted = await system.Api.DeleteAsync($"/api/v1/hubs/{earlier}");
        }

        using var response = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{Hub.Name}", new { baseUrl = Hub.BaseUrl.AbsoluteUri, regions = new[] { region } });
        Assert.True(response.StatusCode is HttpStatusCode.Created, $"PUT hub answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    protected async Task<List<(string VimId, string Simulated)>> EdgesAsync(string region, int count, SimulatedVimBehaviour behaviour)
    {
        var edges = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var simulated = $"sim_push-{Guid.NewGuid():N}"[..24];
            Simulator.Configure(simulated, behaviour);
            edges.Add((await system.RegisterVimAsync(simulated, Simulator.EndpointOf(simulated), new Dictionary<string, object?> { ["region"] = region }), simulated));
        }

        return edges;
    }

    protected async Task<List<JsonObject>> TargetsAsync(Guid distributionId) =>
        [.. (await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets"))["targets"]!.AsArray().Select(t => t!.AsObject())];

    protected static string State(JsonObject target) => target["state"]!.GetValue<string>();

    protected async Task<(Guid Id, TestImage Image)> ActiveImageAsync(string name, int size)
    {
        var image = TestImage.Random(size);
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        return (imageId, image);
    }
}
