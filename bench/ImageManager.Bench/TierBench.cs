using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using Npgsql;

namespace ImageManager.Bench;

/// <summary>
/// Regional hubs: one image to simulated pulling (web-download) VIMs spread over regions, flat (every VIM pulls from the
/// centre) and tiered (a real nginx hub per region, <c>infra/nginx.sh</c>), side by side in one run. Central bytes are
/// what crossed from the Api: the hubs' fetches from it (their access logs' upstream bytes) and the whole image for every
/// VIM whose last pull went to the Api itself (a flat VIM, or an edge that fell back).
/// </summary>
public static class TierBench
{
    public const int Regions = 10;

    public static async Task<List<(string What, string Ours, string Reference, string Ratio)>> MeasureAsync(
        BenchSystem system, VimSimulator.VimSimulator simulator, string imageFile, long imageBytes, int vims)
    {
        simulator.DefaultBehaviour = VimSimulator.SimulatedVimBehaviour.Healthy;
        var centre = system.Api.BaseAddress!;
        var hubs = new List<RegionalHub>();
        try
        {
            var run = $"t{Guid.NewGuid():N}"[..8];
            for (var r = 0; r < Regions; r++)
            {
                var hub = await RegionalHub.StartAsync(centre);
                hubs.Add(hub);
                using var put = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{hub.Name}", new { baseUrl = hub.BaseUrl.AbsoluteUri, regions = new[] { $"{run}-tiered-{r}" } });
                put.EnsureSuccessStatusCode();
            }

            var flat = await RegisterAsync(system, simulator, run, "flat", vims);
            var tiered = await RegisterAsync(system, simulator, run, "tiered", vims);
            var imageId = await ActiveImageAsync(system, imageFile, "tiers");

            var flatTime = await DistributeAsync(system, imageId, flat);
            var flatCentral = PulledFromCentre(simulator, centre, flat) * imageBytes;
            var tieredTime = await DistributeAsync(system, imageId, tiered);
            var tieredCentral = (PulledFromCentre(simulator, centre, tiered) * imageBytes) + hubs.Sum(h => h.Requests().Where(q => q.ImageId == imageId).Sum(q => q.UpstreamBytes));

            var what = $"tiers: {imageBytes / 1024 / 1024} MiB to {vims:N0} pulling VIMs in {Regions} regions, tiered vs flat";
            return
            [
                ($"{what}: central bytes (x image; goal <= 11 tiered)", $"{(double)tieredCentral / imageBytes:0.00} x", $"{(double)flatCentral / imageBytes:0.00} x", $"{(double)flatCentral / Math.Max(tieredCentral, 1):0.0}"),
                ($"{what}: request to completed (goal <= 1/5 of flat, with the uplink capped)", $"{tieredTime.TotalSeconds:0.0} s", $"{flatTime.TotalSeconds:0.0} s", $"{flatTime / tieredTime:0.00}"),
            ];
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    /// <summary>The regions of the push rows, each with a regional Distribution worker declared for the run.</summary>
    public static IReadOnlyList<string> PushRegions(int count) => [.. Enumerable.Range(0, count).Select(r => $"bench-push-{r}")];

    /// <summary>
    /// The same image to pushing VIMs, flat (every VIM pushed by the central workers from the blob store) and through
    /// regional workers (<paramref name="regions"/>, each with its own hub: the worker reads the image through the hub and
    /// pushes it to its region's VIMs). Central bytes: flat, the whole image for every VIM; through regions, the hubs'
    /// fetches from the Api, and the whole image for every target the central workers pushed (no hub in its record).
    /// </summary>
    public static async Task<List<(string What, string Ours, string Reference, string Ratio)>> MeasurePushAsync(
        BenchSystem system, VimSimulator.VimSimulator simulator, string imageFile, long imageBytes, int vims, IReadOnlyList<string> regions)
    {
        if (regions.Count == 0)
        {
            return [];
        }

        simulator.DefaultBehaviour = VimSimulator.SimulatedVimBehaviour.Healthy;
        var hubs = new List<RegionalHub>();
        try
        {
            foreach (var region in regions)
            {
                var hub = await RegionalHub.StartAsync(system.Api.BaseAddress!);
                hubs.Add(hub);
                using var put = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{hub.Name}", new { baseUrl = hub.BaseUrl.AbsoluteUri, regions = new[] { region } });
                put.EnsureSuccessStatusCode();
            }

            var run = $"p{Guid.NewGuid():N}"[..8];
            var flat = await RegisterPushAsync(system, simulator, run, "flat", vims, null);
            var regional = await RegisterPushAsync(system, simulator, run, "regional", vims, regions);
            var imageId = await ActiveImageAsync(system, imageFile, "tiers-push");

            var flatTime = await DistributeAsync(system, imageId, flat);
            var flatCentral = (double)vims * imageBytes;
            var (regionalTime, regionalId) = await DistributeWithIdAsync(system, imageId, regional);
            var pushedCentrally = await CentralTargetsAsync(system, regionalId);
            var regionalCentral = (pushedCentrally * (double)imageBytes) + hubs.Sum(h => h.Requests().Where(q => q.ImageId == imageId).Sum(q => q.UpstreamBytes));

            var what = $"tiers: {imageBytes / 1024 / 1024} MiB to {vims:N0} pushing VIMs in {regions.Count} regions with regional workers, vs flat push";
            return
            [
                ($"{what}: central bytes (x image; {pushedCentrally} targets pushed centrally)", $"{regionalCentral / imageBytes:0.00} x", $"{flatCentral / imageBytes:0.00} x", $"{flatCentral / Math.Max(regionalCentral, 1):0.0}"),
                ($"{what}: request to completed", $"{regionalTime.TotalSeconds:0.0} s", $"{flatTime.TotalSeconds:0.0} s", $"{flatTime / regionalTime:0.00}"),
            ];
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    /// <summary>Registers <paramref name="count"/> pushing VIMs, round robin over <paramref name="regions"/> (none: no region), in one bulk request.</summary>
    static async Task<List<(string VimId, string Simulated)>> RegisterPushAsync(BenchSystem system, VimSimulator.VimSimulator simulator, string run, string kind, int count,
        IReadOnlyList<string>? regions)
    {
        var vims = Enumerable.Range(0, count).Select(i => (VimId: $"{run}{kind[0]}_{i:D5}", Region: regions is null ? null : regions[i % regions.Count])).ToList();
        using var response = await system.Api.PutAsJsonAsync("/api/v1/vims", new
        {
            vims = vims.Select(v => new { id = v.VimId, type = "openstack", endpoint = simulator.EndpointOf(v.VimId), region = v.Region }),
        });
        response.EnsureSuccessStatusCode();
        return [.. vims.Select(v => (v.VimId, v.VimId))];
    }

    static async Task<Guid> ActiveImageAsync(BenchSystem system, string imageFile, string name)
    {
        var imageId = await system.CreateImageAsync(name);
        await using (var content = File.OpenRead(imageFile))
        {
            using var body = new StreamContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var uploaded = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", body);
            uploaded.EnsureSuccessStatusCode();
        }

        await UntilAsync(async () => (await system.GetAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>() == "active", TimeSpan.FromMinutes(10));
        return imageId;
    }

    /// <summary>Targets of the distribution whose record names no hub: pushed by the central workers from the blob store.</summary>
    static async Task<long> CentralTargetsAsync(BenchSystem system, string distributionId)
    {
        await using var connection = new NpgsqlConnection(system.DistributionConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM distribution_targets WHERE distribution_id = @id AND hub IS NULL", connection);
        query.Parameters.AddWithValue("id", Guid.Parse(distributionId));
        return (long)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>Registers <paramref name="count"/> pulling VIMs, round robin over the regions of <paramref name="kind"/>, in one bulk request.</summary>
    static async Task<List<(string VimId, string Simulated)>> RegisterAsync(BenchSystem system, VimSimulator.VimSimulator simulator, string run, string kind, int count)
    {
        var vims = Enumerable.Range(0, count).Select(i => (VimId: $"{run}{kind[0]}_{i:D5}", Region: $"{run}-{kind}-{i % Regions}")).ToList();
        using var response = await system.Api.PutAsJsonAsync("/api/v1/vims", new
        {
            vims = vims.Select(v => new { id = v.VimId, type = "openstack", endpoint = simulator.EndpointOf(v.VimId), region = v.Region, uploadMode = "web-download" }),
        });
        response.EnsureSuccessStatusCode();
        return [.. vims.Select(v => (v.VimId, v.VimId))];
    }

    static async Task<TimeSpan> DistributeAsync(BenchSystem system, Guid imageId, List<(string VimId, string Simulated)> vims) =>
        (await DistributeWithIdAsync(system, imageId, vims)).Elapsed;

    static async Task<(TimeSpan Elapsed, string DistributionId)> DistributeWithIdAsync(BenchSystem system, Guid imageId, List<(string VimId, string Simulated)> vims)
    {
        var clock = Stopwatch.StartNew();
        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = vims.Select(v => v.VimId) });
        accepted.EnsureSuccessStatusCode();
        var distributionId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>();
        await UntilAsync(async () => (await system.GetAsync($"/api/v1/distributions/{distributionId}"))["state"]!.GetValue<string>() == "completed", TimeSpan.FromHours(2));
        var elapsed = clock.Elapsed;
        var distribution = await system.GetAsync($"/api/v1/distributions/{distributionId}");
        Console.Error.WriteLine($"[bench] tiers: {vims.Count} VIMs in {elapsed.TotalSeconds:0.0} s: {distribution["counts"]?.ToJsonString()}");
        return (elapsed, distributionId);
    }

    /// <summary>How many of the VIMs got the image by a last pull from the Api itself.</summary>
    static int PulledFromCentre(VimSimulator.VimSimulator simulator, Uri centre, List<(string VimId, string Simulated)> vims) =>
        vims.Count(v => simulator.ImportUrisOf(v.Simulated) is { Count: > 0 } uris && uris[^1].GetLeftPart(UriPartial.Authority) == centre.GetLeftPart(UriPartial.Authority));

    static async Task UntilAsync(Func<Task<bool>> done, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"not done within {within}");
            }

            await Task.Delay(250);
        }
    }
}
