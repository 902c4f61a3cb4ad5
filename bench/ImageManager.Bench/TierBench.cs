using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

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
            var imageId = await system.CreateImageAsync("tiers");
            await using (var content = File.OpenRead(imageFile))
            {
                using var body = new StreamContent(content);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var uploaded = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", body);
                uploaded.EnsureSuccessStatusCode();
            }

            await UntilAsync(async () => (await system.GetAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>() == "active", TimeSpan.FromMinutes(10));

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

    static async Task<TimeSpan> DistributeAsync(BenchSystem system, Guid imageId, List<(string VimId, string Simulated)> vims)
    {
        var clock = Stopwatch.StartNew();
        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = vims.Select(v => v.VimId) });
        accepted.EnsureSuccessStatusCode();
        var distributionId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>();
        await UntilAsync(async () => (await system.GetAsync($"/api/v1/distributions/{distributionId}"))["state"]!.GetValue<string>() == "completed", TimeSpan.FromHours(2));
        var elapsed = clock.Elapsed;
        var distribution = await system.GetAsync($"/api/v1/distributions/{distributionId}");
        Console.Error.WriteLine($"[bench] tiers: {vims.Count} VIMs in {elapsed.TotalSeconds:0.0} s: {distribution["counts"]?.ToJsonString()}");
        return elapsed;
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
