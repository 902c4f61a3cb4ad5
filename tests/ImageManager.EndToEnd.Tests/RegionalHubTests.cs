using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Access;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Regional hubs with a real nginx cache (<c>infra/nginx.sh</c>) in front of the Api, and simulated Glance VIMs that pull
/// by web-download: the edges of a region get the image through their hub, which fetches it from the centre once; the
/// hub serves nothing to a link the Api does not accept; a hub that dies sends its edges back to the centre.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RegionalHubTests(SystemFixture system, ITestOutputHelper output) : IAsyncLifetime
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
    public async Task When_six_edges_of_a_region_pull_through_its_hub_the_centre_serves_the_image_once()
    {
        var size = 6 * MiB;
        var imageId = await ActiveImageAsync("hub-fanout", size);
        var region = await RegionWithHubAsync();
        var edges = await EdgesAsync(region, 6, SimulatedVimBehaviour.Healthy);

        var distributionId = await system.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await system.WaitForDistributionAsync(distributionId);

        var targets = await TargetsAsync(distributionId);
        Assert.All(targets, t => Assert.Equal(("active", _hub.Name, null), (State(t), t["hub"]?.GetValue<string>(), t["hubFallback"]?.GetValue<string>())));
        Assert.All(edges, e => Assert.StartsWith(_hub.BaseUrl.AbsoluteUri, Assert.Single(_simulator.ImportUrisOf(e.Simulated)).AbsoluteUri));
        Assert.All(edges, e => Assert.Equal(size, Assert.Single(_simulator.ImagesOf(e.Simulated)).Record["size"]!.GetValue<long>()));

        var served = _hub.Requests().Where(r => r.ImageId == imageId).ToList();
        served.ForEach(r => output.WriteLine(r.ToString()));
        Assert.Equal(6, served.Count(r => r.Status == 200 && r.BytesSent >= size));
        Assert.Equal(1, served.Count(r => r.Cache == "MISS"));
        var fromCentre = served.Sum(r => r.UpstreamBytes);
        Assert.InRange(fromCentre, size, size + 4096); // the image once, and its response headers
    }

    [Fact]
    public async Task When_a_link_is_altered_expired_or_missing_the_hub_refuses_it_even_with_the_image_cached()
    {
        var image = TestImage.Random(MiB);
        var imageId = await system.CreateImageAsync("hub-links");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        using var http = new HttpClient { BaseAddress = _hub.BaseUrl };
        var path = $"/api/v1/images/{imageId}/file";
        var valid = SignedDownloadUrl.QueryFor(imageId, DateTimeOffset.UtcNow.AddMinutes(10), system.ServiceToken);

        Assert.Equal(image.Bytes, await http.GetByteArrayAsync($"{path}?{valid}"));
        using (var cached = await http.GetAsync($"{path}?{valid}"))
        {
            Assert.Equal((HttpStatusCode.OK, "HIT"), (cached.StatusCode, cached.Headers.GetValues("X-Hub-Cache").Single()));
            Assert.Equal(image.Bytes, await cached.Content.ReadAsByteArrayAsync());
        }

        // A VIM that resumes asks for a range: served from the cache, the bytes it asked for.
        using (var ranged = new HttpRequestMessage(HttpMethod.Get, $"{path}?{valid}"))
        {
            ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
            using var part = await http.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(image.Bytes[1000..2000], await part.Content.ReadAsByteArrayAsync());
        }

        var signature = valid.Split('&').Single(p => p.StartsWith("signature=", StringComparison.Ordinal))["signature=".Length..];
        var altered = valid.Replace(signature, (signature[0] == 'a' ? "b" : "a") + signature[1..], StringComparison.Ordinal);
        var expired = SignedDownloadUrl.QueryFor(imageId, DateTimeOffset.UtcNow.AddMinutes(-1), system.ServiceToken);
        var otherImage = SignedDownloadUrl.QueryFor(Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(10), system.ServiceToken);
        foreach (var query in new[] { altered, expired, otherImage, "", "expires=9999999999" })
        {
            using var refused = await http.GetAsync($"{path}?{query}");
            var body = await refused.Content.ReadAsByteArrayAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"a link '{query}' was answered {(int)refused.StatusCode}");
            Assert.True(body.Length < 4096, "a refused link got the image's bytes");
        }

        Assert.Equal(1, _hub.Requests().Count(r => r.ImageId == imageId && r.Cache == "MISS"));
        Assert.DoesNotContain(signature, await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, ".local", "infra", $"nginx-{_hub.Name}", "access.log")));
    }

    [Fact]
    public async Task When_the_hub_is_killed_mid_distribution_its_edges_pull_from_the_centre_and_every_target_ends_active()
    {
        // Slow edges (8 s each), so the kill lands while all four are reading from the hub.
        var size = 8 * MiB;
        var imageId = await ActiveImageAsync("hub-killed", size);
        var region = await RegionWithHubAsync();
        var edges = await EdgesAsync(region, 4, new SimulatedVimBehaviour { BandwidthBytesPerSecond = MiB });

        var distributionId = await system.DistributeAsync(imageId, [.. edges.Select(e => e.VimId)]);
        await Eventually.Get(() => Task.FromResult(_hub.Requests()), _ => edges.All(e => _simulator.ImportUrisOf(e.Simulated).Count == 1), TimeSpan.FromSeconds(30),
            "every edge to start pulling through the hub");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        output.WriteLine(await _hub.KillAsync());
        await system.WaitForDistributionAsync(distributionId, TimeSpan.FromSeconds(120));

        var targets = await TargetsAsync(distributionId);
        targets.ForEach(t => output.WriteLine(t.ToJsonString()));
        Assert.All(targets, t =>
        {
            Assert.Equal("active", State(t));
            Assert.Null(t["hub"]);
            Assert.Contains($"the pull through hub '{_hub.Name}' failed", t["hubFallback"]!.GetValue<string>());
        });
        Assert.All(edges, e =>
        {
            var uris = _simulator.ImportUrisOf(e.Simulated);
            Assert.StartsWith(_hub.BaseUrl.AbsoluteUri, uris[0].AbsoluteUri);
            Assert.StartsWith(system.ApiAddress.AbsoluteUri, uris[^1].AbsoluteUri);
            Assert.Equal(size, Assert.Single(_simulator.ImagesOf(e.Simulated)).Record["size"]!.GetValue<long>());
        });

        // An edge of the region that starts once the hub is dead goes to the centre from its first attempt, saying why.
        var late = (await EdgesAsync(region, 1, SimulatedVimBehaviour.Healthy))[0];
        var again = await system.DistributeAsync(imageId, late.VimId);
        await system.WaitForDistributionAsync(again);
        var target = Assert.Single(await TargetsAsync(again));
        Assert.Equal(("active", 1), (State(target), target["attempt"]!.GetValue<int>()));
        Assert.Null(target["hub"]);
        Assert.Contains($"hub '{_hub.Name}' was unhealthy", target["hubFallback"]!.GetValue<string>());
        Assert.StartsWith(system.ApiAddress.AbsoluteUri, Assert.Single(_simulator.ImportUrisOf(late.Simulated)).AbsoluteUri);
    }

    /// <summary>A region of this test's own, served by its hub.</summary>
    async Task<string> RegionWithHubAsync()
    {
        var region = system.Unique($"region-{Guid.NewGuid():N}"[..15]);
        using var response = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{_hub.Name}", new { baseUrl = _hub.BaseUrl.AbsoluteUri, regions = new[] { region } });
        Assert.True(response.StatusCode is HttpStatusCode.Created, $"PUT hub answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return region;
    }

    async Task<List<(string VimId, string Simulated)>> EdgesAsync(string region, int count, SimulatedVimBehaviour behaviour)
    {
        var edges = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var simulated = $"sim_edge-{Guid.NewGuid():N}"[..24];
            _simulator.Configure(simulated, behaviour);
            var vimId = await system.RegisterVimAsync(simulated, _simulator.EndpointOf(simulated),
                new Dictionary<string, object?> { ["region"] = region, ["uploadMode"] = "web-download" });
            edges.Add((vimId, simulated));
        }

        return edges;
    }

    async Task<List<JsonObject>> TargetsAsync(Guid distributionId) =>
        [.. (await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets"))["targets"]!.AsArray().Select(t => t!.AsObject())];

    static string State(JsonObject target) => target["state"]!.GetValue<string>();

    async Task<Guid> ActiveImageAsync(string name, int size)
    {
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, TestImage.Random(size));
        await system.WaitForStatusAsync(imageId, "active");
        return imageId;
    }
}
