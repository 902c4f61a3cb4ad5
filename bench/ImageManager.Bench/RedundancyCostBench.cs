using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Bench;

/// <summary>
/// What redundancy costs on this machine: the single topology and the highly available one (clusters, two processes of
/// every service behind HAProxy), one after the other in one run, each measured the same way: an upload through the
/// Api's address, a distribution to 10,000 simulated VIMs, every process's peak resident set, and where the machine's
/// CPU went during the fan-out. Two cores show no scaling; the ratios are the price of the copies.
/// </summary>
public static class RedundancyCostBench
{
    const int FanOutTargets = 10_000;

    public static async Task<List<(string What, string Ours, string Reference, string Ratio)>> MeasureAsync(string uploadFile, long uploadBytes)
    {
        var single = await MeasureShapeAsync(highlyAvailable: false, uploadFile);
        var redundant = await MeasureShapeAsync(highlyAvailable: true, uploadFile);
        var mib = 1024.0 * 1024;
        return
        [
            ($"HA vs single: upload {uploadBytes / mib:0} MiB through the Api's address", Rate(uploadBytes, redundant.Upload), Rate(uploadBytes, single.Upload), $"{single.Upload / redundant.Upload:0.00}"),
            ($"HA vs single: {FanOutTargets:N0} healthy VIMs, request to completed", $"{redundant.FanOut.TotalSeconds:0.0} s", $"{single.FanOut.TotalSeconds:0.0} s", $"{single.FanOut / redundant.FanOut:0.00}"),
            ("HA vs single: peak RSS, all service processes together", $"{redundant.Peaks.Values.Sum() / mib:0} MiB", $"{single.Peaks.Values.Sum() / mib:0} MiB",
                $"{(double)single.Peaks.Values.Sum() / redundant.Peaks.Values.Sum():0.00}"),
            ("  HA peak RSS per process", string.Join(", ", redundant.Peaks.Select(p => $"{p.Key} {p.Value / mib:0}")) + " MiB", "", ""),
            ("  single peak RSS per process", string.Join(", ", single.Peaks.Select(p => $"{p.Key} {p.Value / mib:0}")) + " MiB", "", ""),
            ($"HA vs single: CPU seconds spent on the fan-out, whole machine", $"{redundant.Cpu.Sum(c => c.Seconds):0}", $"{single.Cpu.Sum(c => c.Seconds):0}",
                $"{single.Cpu.Sum(c => c.Seconds) / redundant.Cpu.Sum(c => c.Seconds):0.00}"),
            ("  HA CPU seconds by component", Largest(redundant.Cpu), "", ""),
            ("  single CPU seconds by component", Largest(single.Cpu), "", ""),
        ];
    }

    /// <summary>The components that spent at least 1 % of the total, largest first.</summary>
    static string Largest(IReadOnlyList<(string Component, double Seconds)> cpu) =>
        string.Join(", ", cpu.Where(c => c.Seconds >= cpu.Sum(x => x.Seconds) / 100).Select(c => $"{c.Component} {c.Seconds:0}"));

    static async Task<(TimeSpan Upload, TimeSpan FanOut, Dictionary<string, long> Peaks, IReadOnlyList<(string Component, double Seconds)> Cpu)> MeasureShapeAsync(bool highlyAvailable, string uploadFile)
    {
        Console.Error.WriteLine($"[bench] redundancy: starting the {(highlyAvailable ? "highly available" : "single")} topology");
        await using var system = new BenchSystem(highlyAvailable);
        await system.StartAsync();
        await using var simulator = await VimSimulator.VimSimulator.StartAsync();
        await ControlPlaneBench.MeasureAsync(system, simulator, ControlPlaneBench.WarmUpVims, "warm-up");

        var samplers = system.Services.ToDictionary(s => s.Key, s => new MemorySampler(s.Value.ProcessId));
        var imageId = await system.CreateImageAsync("redundancy");
        var clock = Stopwatch.StartNew();
        await using (var file = File.OpenRead(uploadFile))
        {
            using var content = new StreamContent(file, 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", content);
            response.EnsureSuccessStatusCode();
        }

        var upload = clock.Elapsed;
        for (var i = 0; i < 600 && (await system.Api.GetFromJsonAsync<JsonObject>($"/api/v1/images/{imageId}"))!["status"]!.GetValue<string>() != "active"; i++)
        {
            await Task.Delay(500);
        }

        foreach (var sampler in samplers.Values)
        {
            await sampler.DisposeAsync();
        }

        var fanOut = await ControlPlaneBench.MeasureAsync(system, simulator, FanOutTargets, highlyAvailable ? "HA, healthy VIMs" : "single, healthy VIMs");
        var peaks = samplers.ToDictionary(s => s.Key, s => Math.Max(s.Value.Peak, fanOut.PeakResidentBytes.GetValueOrDefault(s.Key)));
        return (upload, fanOut.Elapsed, peaks, fanOut.CpuSeconds);
    }

    static string Rate(long bytes, TimeSpan time) => $"{bytes / time.TotalSeconds / (1024 * 1024):0} MiB/s";
}
