using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Bench;
using ImageManager.Testing;

// Measures Image Manager beside its reference points in one run and prints a table of ratios.
// Needs the infrastructure (infra/infra.sh start) and a Release build; bench/run.sh does both.
const long MiB = 1024 * 1024;
const int IngestRounds = 5;
// Issue 20's second control-plane row: every VIM 200 ms away, 1 % of its answers 5xx.
var slowFaultyVims = new ImageManager.VimSimulator.SimulatedVimBehaviour { Latency = TimeSpan.FromMilliseconds(200), ServerErrorRate = 0.01 };
var sizes = args.Contains("--quick") ? (Ingest: 256 * MiB, Large: 1024 * MiB, EndToEnd: 100 * MiB) : (Ingest: 1024 * MiB, Large: 4096 * MiB, EndToEnd: 100 * MiB);
var files = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, ".local", "bench", "files")).FullName;
var rows = new List<(string What, string Ours, string Reference, string Ratio)>();
var plans = new List<string>();

if (args.Contains("--vim-registration-only"))
{
    // Registering a fleet of VIMs: needs no test files.
    await using var registrationSystem = new BenchSystem();
    await registrationSystem.StartAsync();
    rows.AddRange(await VimRegistrationBench.MeasureAsync(registrationSystem));
    PrintTable();
    return;
}

if (args.Contains("--scanning"))
{
    // Issue 21: what the malware scan costs validation. The system with clamd and one without run side by side, so that
    // their rounds interleave; only this part's file is made (--scanning-mib, the ingest size by default).
    var scanningBytes = long.Parse(ArgumentAfter("--scanning-mib") ?? (sizes.Ingest / MiB).ToString(System.Globalization.CultureInfo.InvariantCulture),
        System.Globalization.CultureInfo.InvariantCulture) * MiB;
    var scanningFile = await TestFile.CreateAsync(files, scanningBytes == sizes.Ingest ? "ingest.bin" : $"scanning-{scanningBytes / MiB}.bin", scanningBytes);
    await using var scanned = new BenchSystem();
    await scanned.StartAsync();
    await ScanningAsync(scanned, scanningFile);
    PrintTable();
    return;
}

Console.WriteLine("Preparing test files...");
var ingestFile = await TestFile.CreateAsync(files, "ingest.bin", sizes.Ingest);
var largeFile = await TestFile.CreateAsync(files, "large.bin", sizes.Large);
var endToEndFile = await TestFile.CreateAsync(files, "end-to-end.bin", sizes.EndToEnd);

if (args.Contains("--redundancy-only"))
{
    // The highly available topology beside the single one (needs infra/infra.sh ha start; bench/run.sh does it).
    rows.AddRange(await RedundancyCostBench.MeasureAsync(ingestFile, sizes.Ingest));
    PrintTable();
    return;
}

if (args.Contains("--issue-20"))
{
    // Issue 20's rows from one run, on two systems one after the other: the control plane on one without an uplink
    // budget (a budget counts and paces every transfer, which the fan-out rows must not measure), then the tiers on one
    // started with it (--uplink B/s, 50 MiB/s by default; --tier-vims, --tier-mib as for --tiers-only, 16 MiB by default:
    // 1,000 flat copies of 256 MiB under a 200 MB/s uplink would take 22 minutes for the flat side alone).
    await using (var fanOut = new BenchSystem())
    {
        await fanOut.StartAsync();
        await using var fanOutVims = await ImageManager.VimSimulator.VimSimulator.StartAsync();
        await ControlPlaneBench.MeasureAsync(fanOut, fanOutVims, ControlPlaneBench.WarmUpVims, "warm-up");
        await MeasureHealthy10kAsync(fanOut, fanOutVims, rows);
        rows.AddRange((await ControlPlaneBench.MeasureAsync(fanOut, fanOutVims, 10_000, "200 ms latency, 1% 5xx", slowFaultyVims)).Rows);
    }

    var uplink = ArgumentAfter("--uplink") ?? (50 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture);
    var regions = TierPushRegions();
    await using (var tiered = new BenchSystem(settings: new Dictionary<string, string> { ["Budgets__UplinkBytesPerSecond"] = uplink }, regionalDistributions: regions))
    {
        await tiered.StartAsync();
        await TiersAsync(tiered, ArgumentAfter("--tier-mib") ?? "16", regions);
    }

    PrintTable();
    return;
}

// --setting Name__Key=value (repeatable): a service setting for this run, e.g. the central uplink budget for the tiers row.
// --tier-push-regions R (2 by default): regions that get a regional Distribution worker for the tiers row's push rows.
var pushRegions = args.Contains("--tiers-only") ? TierPushRegions() : [];
await using var system = new BenchSystem(settings: args.Select((a, i) => (a, i)).Where(p => p.a == "--setting" && p.i + 1 < args.Length)
    .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""), regionalDistributions: pushRegions);
await system.StartAsync();
var vim1 = await system.RegisterVimAsync("glance1", Infrastructure.Glance1);
var vim2 = await system.RegisterVimAsync("glance2", Infrastructure.Glance2);
await EndToEndAsync(endToEndFile); // warm-up of every path (JIT, connection pools): steady state is what is measured
if (args.Contains("--tiers-only"))
{
    await TiersAsync(system, ArgumentAfter("--tier-mib") ?? "256", pushRegions);
    PrintTable();
    return;
}

if (args.Contains("--data-plane-only"))
{
    await DataPlaneAsync();
    PrintTable();
    return;
}

// 1. Ingest: our streamed upload (store + SHA-256 + SHA-512 in one pass) beside cp and beside Glance's PUT, in interleaved
// rounds; each measurement starts on a quiet machine (the previous upload validated, dirty pages written back), and
// the median round is reported with the spread.
if (!args.Contains("--catalog-only") && !args.Contains("--control-plane-only") && !args.Contains("--progress-only") && !args.Contains("--healthy-10k")
    && !args.Contains("--fan-out-only"))
{
    var cpTimes = new List<TimeSpan>();
    var durableCpTimes = new List<TimeSpan>();
    var glanceTimes = new List<TimeSpan>();
    var ourTimes = new List<TimeSpan>();
    for (var round = 0; round < IngestRounds; round++)
    {
        var copy = Path.Combine(system.BlobRoot, "cp-reference.bin");
        await Settle();
        cpTimes.Add(await Time(() => Run("cp", ingestFile, copy)));
        File.Delete(copy);
        await Settle();
        durableCpTimes.Add(await Time(async () =>
        {
            await Run("cp", ingestFile, copy);
            await Run("sync", copy); // fsync of the copy: on disk, as the Api's PUT is before it answers
        }));
        File.Delete(copy);
        await Settle();
        string? glanceId = null;
        glanceTimes.Add(await Time(async () => glanceId = await Glance.UploadAsync(Infrastructure.Glance1, ingestFile, "bench-ingest")));
        await Glance.DeleteAsync(Infrastructure.Glance1, glanceId!);
        await Settle();
        var imageId = await system.CreateImageAsync("ingest");
        ourTimes.Add(await Time(async () => await UploadAsync(imageId, ingestFile)));
        await Until(async () => (await system.GetAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>() == "active");
        await system.DeleteBlobAsync(imageId);
    }

    var (cp, durableCp, glance, ours) = (Median(cpTimes), Median(durableCpTimes), Median(glanceTimes), Median(ourTimes));
    rows.Add(($"ingest {Size(sizes.Ingest)}: Api PUT vs Glance PUT (median of {IngestRounds})", Rate(sizes.Ingest, ours), Rate(sizes.Ingest, glance), Ratio(glance, ours)));
    rows.Add(($"  spread of the rounds", Spread(sizes.Ingest, ourTimes), Spread(sizes.Ingest, glanceTimes), ""));
    rows.Add(($"ingest {Size(sizes.Ingest)}: Api PUT vs cp + sync, same disk (median of {IngestRounds})", Rate(sizes.Ingest, ours), Rate(sizes.Ingest, durableCp), Ratio(durableCp, ours)));
    rows.Add(($"  spread of the rounds", Spread(sizes.Ingest, ourTimes), Spread(sizes.Ingest, durableCpTimes), ""));
    rows.Add(($"ingest {Size(sizes.Ingest)}: Api PUT vs cp into the page cache (median of {IngestRounds})", Rate(sizes.Ingest, ours), Rate(sizes.Ingest, cp), Ratio(cp, ours)));
    rows.Add(($"  spread of the rounds", Spread(sizes.Ingest, ourTimes), Spread(sizes.Ingest, cpTimes), ""));
}

if (args.Contains("--ingest-only"))
{
    PrintTable();
    return;
}

if (args.Contains("--control-plane-only") || args.Contains("--progress-only") || !args.Contains("--no-control-plane"))
{
    // 1c. The control plane: one small image to many simulated VIMs.
    await using var simulator = await ImageManager.VimSimulator.VimSimulator.StartAsync();
    await ControlPlaneBench.MeasureAsync(system, simulator, ControlPlaneBench.WarmUpVims, "warm-up"); // JIT and pools at steady state, as for the other parts
    if (args.Contains("--healthy-10k") || args.Contains("--fan-out-only"))
    {
        // For profiling one change: only the case that is furthest from its goal, and the same with subscribers attached;
        // --fan-out-only adds the 200 ms / 1 % 5xx run beside its bare loop (issue 20's control-plane rows, one run).
        await MeasureHealthy10kAsync(system, simulator, rows);
        if (args.Contains("--fan-out-only"))
        {
            rows.AddRange((await ControlPlaneBench.MeasureAsync(system, simulator, 10_000, "200 ms latency, 1% 5xx", slowFaultyVims)).Rows);
        }

        PrintTable();
        return;
    }

    if (args.Contains("--progress-only"))
    {
        // What byte progress costs the database with many uploads in flight.
        rows.AddRange(await ByteProgressBench.MeasureAsync(system, simulator, 1_000));
        PrintTable();
        return;
    }

    rows.AddRange((await ControlPlaneBench.MeasureAsync(system, simulator, 1_000, "healthy VIMs")).Rows);
    rows.AddRange(await ByteProgressBench.MeasureAsync(system, simulator, 1_000));
    if (!args.Contains("--quick"))
    {
        rows.AddRange(await VimRegistrationBench.MeasureAsync(system));
        await MeasureHealthy10kAsync(system, simulator, rows);
        rows.AddRange((await ControlPlaneBench.MeasureAsync(system, simulator, 10_000, "200 ms latency, 1% 5xx", slowFaultyVims)).Rows);
    }

    if (args.Contains("--control-plane-only"))
    {
        PrintTable();
        return;
    }
}

if (!args.Contains("--no-catalog"))
{
    // 1b. The catalogue at fleet size: 100,000 images, 1,000,000 image-VIM rows.
    Console.WriteLine($"Seeding the catalogue with {CatalogSeed.Images:N0} images and {CatalogSeed.Images * CatalogSeed.VimsPerImage:N0} image-VIM rows...");
    await CatalogSeed.SeedAsync(system.CatalogConnectionString);
    var (latencies, queryPlans) = await CatalogQueryBench.MeasureAsync(system.Api, system.InternalClient(system.CatalogAddress));
    plans.AddRange(queryPlans);
    foreach (var (what, p50, p99) in latencies)
    {
        rows.Add(($"catalogue at 100k images / 1M locations: {what} (p50 / p99)", $"{p50:0.0} / {p99:0.0} ms", "p99 budget 20 ms", $"{20 / p99:0.0}"));
    }

    if (args.Contains("--catalog-only"))
    {
        PrintTable();
        return;
    }
}

// 2. Memory: the Api's resident set while a large upload streams through it.
long baseline, peak;
TimeSpan large;
await using (var sampler = new MemorySampler(system.ApiProcess.ProcessId))
{
    baseline = sampler.Baseline;
    large = await Time(async () => await UploadAsync(await system.CreateImageAsync("large"), largeFile));
    await sampler.DisposeAsync();
    peak = sampler.Peak;
}

rows.Add(($"Api memory during a {Size(sizes.Large)} upload (peak - before)", Size(peak - baseline), "budget 64 MiB", $"{64.0 * MiB / Math.Max(peak - baseline, 1):0.0}"));
rows.Add(($"ingest {Size(sizes.Large)}: Api PUT", Rate(sizes.Large, large), "", ""));

// 3. End to end: upload, validate, distribute to two Glance VIMs, against doing it by hand (two Glance PUTs in a row).
var byHandIds = new List<(Uri, string)>();
var byHand = await Time(async () =>
{
    byHandIds.Add((Infrastructure.Glance1, await Glance.UploadAsync(Infrastructure.Glance1, endToEndFile, "bench-by-hand")));
    byHandIds.Add((Infrastructure.Glance2, await Glance.UploadAsync(Infrastructure.Glance2, endToEndFile, "bench-by-hand")));
});
foreach (var (vim, id) in byHandIds)
{
    await Glance.DeleteAsync(vim, id);
}

var (endToEnd, distributeOnly) = await EndToEndAsync(endToEndFile);
rows.Add(($"distribute {Size(sizes.EndToEnd)} to 2 VIMs (request to completed) vs by hand", $"{distributeOnly.TotalSeconds:0.00} s", $"{byHand.TotalSeconds:0.00} s", Ratio(byHand, distributeOnly)));
rows.Add(($"end to end {Size(sizes.EndToEnd)}: create, upload, validate, 2 VIMs vs by hand", $"{endToEnd.TotalSeconds:0.00} s", $"{byHand.TotalSeconds:0.00} s", Ratio(byHand, endToEnd)));

await DataPlaneAsync();

if (!args.Contains("--no-scanning"))
{
    // 3c. The malware scan's cost: this system (clamd declared, scanning required) beside one started without clamd.
    await ScanningAsync(system, ingestFile);
}

// 4. Format inspection decides from header regions: time and allocation per image, whatever its size.
var qcow2 = Path.Combine(files, "ingest.qcow2");
if (!File.Exists(qcow2))
{
    await Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", ingestFile, qcow2);
}

foreach (var (path, format) in new[] { (largeFile, "raw"), (qcow2, "qcow2") })
{
    var inspection = FormatInspectionBench.Measure(path, format);
    rows.Add(($"format inspection of a {Size(new FileInfo(path).Length)} {format} (median of {inspection.Runs})",
        $"{inspection.Median.TotalMilliseconds:0.00} ms", "budget 50 ms", $"{50 / inspection.Median.TotalMilliseconds:0}"));
    rows.Add(($"  memory allocated / bytes read per inspection", $"{Size(inspection.AllocatedBytes)} / {Size(inspection.BytesRead)}", "budget 16 MiB",
        $"{16.0 * MiB / Math.Max(inspection.AllocatedBytes, 1):0}"));
}

PrintTable();
return;

// 3b. Data plane: the 1 GiB file pushed to one real Glance by a distribution (request to completed, verified by
// os_hash_value) beside curl -T of the same file to the same Glance (image created, then the PUT), each read from the
// disk (dd's nocache flag drops a file's cached pages), in interleaved rounds; the median round is the figure.
async Task DataPlaneAsync()
{
    const int rounds = 3;
    var image = await system.CreateImageAsync("data-plane");
    await UploadAsync(image, ingestFile);
    await Until(async () => (await system.GetAsync($"/api/v1/images/{image}"))["status"]!.GetValue<string>() == "active");
    var sha256 = (await system.GetAsync($"/api/v1/images/{image}"))["sha256"]!.GetValue<string>();
    var blob = Path.Combine(system.BlobRoot, "sha256", sha256[..2], sha256[2..4], sha256);
    var pushedTimes = new List<TimeSpan>();
    var curledTimes = new List<TimeSpan>();
    for (var round = 0; round < rounds; round++)
    {
        await Run("dd", $"if={blob}", "iflag=nocache", "count=0", "status=none");
        await Settle();

        // Timed by the distribution's own record (requested to completed), polled slowly so the measuring does not slow it.
        using (var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId = image, vimIds = new[] { vim1 } }))
        {
            accepted.EnsureSuccessStatusCode();
            var distributionId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>();
            JsonObject? done = null;
            await Until(async () =>
            {
                await Task.Delay(250);
                using var response = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}");
                done = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
                return done?["state"]?.GetValue<string>() == "completed";
            });
            if (done!["counts"]!["active"]!.GetValue<int>() != 1)
            {
                throw new InvalidOperationException($"The data-plane distribution did not end active: {done}");
            }

            pushedTimes.Add(done["completedAt"]!.GetValue<DateTimeOffset>() - done["requestedAt"]!.GetValue<DateTimeOffset>());
            await Glance.DeleteAsync(Infrastructure.Glance1, done["targets"]![0]!["vimImageId"]!.GetValue<string>());
        }

        await Run("dd", $"if={ingestFile}", "iflag=nocache", "count=0", "status=none");
        await Settle();
        string? curledId = null;
        curledTimes.Add(await Time(async () =>
        {
            curledId = await Glance.CreateAsync(Infrastructure.Glance1, "bench-curl");
            await Run("curl", "-sf", "-o", "/dev/null", "-T", ingestFile, "-H", "Content-Type: application/octet-stream", new Uri(Infrastructure.Glance1, $"v2/images/{curledId}/file").ToString());
        }));
        await Glance.DeleteAsync(Infrastructure.Glance1, curledId!);
    }

    var (pushed, curled) = (Median(pushedTimes), Median(curledTimes));
    rows.Add(($"data plane: {Size(sizes.Ingest)} to one Glance by distribution vs curl -T (median of {rounds})", Rate(sizes.Ingest, pushed), Rate(sizes.Ingest, curled), Ratio(curled, pushed)));
    rows.Add(($"  spread of the rounds", Spread(sizes.Ingest, pushedTimes), Spread(sizes.Ingest, curledTimes), ""));
}

void PrintTable()
{
    Console.WriteLine();
    Console.WriteLine($"Image Manager bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores (ratio > 1: the reference is slower or the budget unspent)");
    Console.WriteLine();
    Console.WriteLine($"| {"measurement",-66} | {"Image Manager",-14} | {"reference",-14} | {"ratio",-6} |");
    Console.WriteLine($"|{new string('-', 68)}|{new string('-', 16)}|{new string('-', 16)}|{new string('-', 8)}|");
    foreach (var row in rows)
    {
        Console.WriteLine($"| {row.What,-66} | {row.Ours,-14} | {row.Reference,-14} | {row.Ratio,-6} |");
    }

    if (plans.Count > 0)
    {
        Console.WriteLine();
        Console.WriteLine("Query plans (MariaDB EXPLAIN of the SQL each catalogue query runs):");
        plans.ForEach(Console.WriteLine);
    }
}

// Create, upload, wait for active, distribute to both VIMs, wait for completion; removes the images from Glance after.
// Times come from the distribution's own record (requested, completed) where they can, and the status is polled
// every 100 ms: polling faster slows what is measured on two cores.
async Task<(TimeSpan Total, TimeSpan Distribution)> EndToEndAsync(string path)
{
    var started = DateTimeOffset.UtcNow;
    var imageId = await system.CreateImageAsync("end-to-end");
    await UploadAsync(imageId, path);
    await Until(async () =>
    {
        await Task.Delay(100);
        return (await system.GetAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>() == "active";
    });
    using var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { vim1, vim2 } });
    accepted.EnsureSuccessStatusCode();
    var distributionId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>();
    JsonObject? completed = null;
    await Until(async () =>
    {
        await Task.Delay(100);
        using var response = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}");
        completed = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        return completed?["state"]?.GetValue<string>() == "completed";
    });
    var completedAt = completed!["completedAt"]!.GetValue<DateTimeOffset>();
    var times = (completedAt - started, completedAt - completed["requestedAt"]!.GetValue<DateTimeOffset>());
    if (completed!["outcome"]!.GetValue<string>() != "succeeded")
    {
        throw new InvalidOperationException($"distribution ended {completed}");
    }

    await Glance.DeleteAsync(Infrastructure.Glance1, completed["targets"]![0]!["vimImageId"]!.GetValue<string>());
    await Glance.DeleteAsync(Infrastructure.Glance2, completed["targets"]![1]!["vimImageId"]!.GetValue<string>());
    return times;
}

async Task UploadAsync(Guid imageId, string path)
{
    await using var file = File.OpenRead(path);
    using var content = new StreamContent(file, 1 << 20);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    using var response = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", content);
    response.EnsureSuccessStatusCode();
}

// Dirty pages of the previous measurement are written back before the next one starts, so no measurement pays for another's writes.
static async Task Settle()
{
    await Run("sync");
    await Task.Delay(TimeSpan.FromSeconds(1));
}

static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

static string Spread(long bytes, List<TimeSpan> times) => $"{bytes / times.Max().TotalSeconds / 1e6:0}–{bytes / times.Min().TotalSeconds / 1e6:0}";

// The same file validated with clamd (on the system given) and without (a system started for it, no clamd declared,
// Scanning__Required=false), --scanning-rounds interleaved rounds (3 by default), after a 16 MiB warm-up on each.
async Task ScanningAsync(BenchSystem scanned, string file)
{
    Console.Error.WriteLine("[bench] scanning: starting a system without clamd beside the one with it");
    await using var unscanned = new BenchSystem(scanning: false);
    await unscanned.StartAsync();
    var rounds = int.Parse(ArgumentAfter("--scanning-rounds") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
    var warmUp = await TestFile.CreateAsync(files, "scanning-warm-up.bin", 16 * MiB);
    rows.AddRange(await ScanningCostBench.MeasureAsync(scanned, unscanned, file, rounds, warmUp));
}

// Regional hubs, flat vs tiered: --tier-vims N (1,000 by default) pulling VIMs, an image of the size given (MiB); then
// pushing VIMs, flat vs through the regional workers of the system's regions.
async Task TiersAsync(BenchSystem on, string mib, IReadOnlyList<string> regions)
{
    var tierVims = int.Parse(ArgumentAfter("--tier-vims") ?? "1000", System.Globalization.CultureInfo.InvariantCulture);
    var tierBytes = long.Parse(mib, System.Globalization.CultureInfo.InvariantCulture) * MiB;
    var tierFile = await TestFile.CreateAsync(files, $"tiers-{tierBytes / MiB}.bin", tierBytes);
    await using var tierSimulator = await ImageManager.VimSimulator.VimSimulator.StartAsync();
    rows.AddRange(await TierBench.MeasureAsync(on, tierSimulator, tierFile, tierBytes, tierVims));
    rows.AddRange(await TierBench.MeasurePushAsync(on, tierSimulator, tierFile, tierBytes, tierVims, regions));
}

IReadOnlyList<string> TierPushRegions() =>
    TierBench.PushRegions(int.Parse(ArgumentAfter("--tier-push-regions") ?? "2", System.Globalization.CultureInfo.InvariantCulture));

string? ArgumentAfter(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

static async Task<TimeSpan> Time(Func<Task> work)
{
    var clock = Stopwatch.StartNew();
    await work();
    return clock.Elapsed;
}

static async Task Until(Func<Task<bool>> done)
{
    var deadline = DateTime.UtcNow.AddMinutes(10);
    while (!await done())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("gave up after 10 minutes");
        }

        await Task.Delay(20);
    }
}

static async Task Run(string command, params string[] arguments)
{
    using var process = Process.Start(command, arguments);
    await process.WaitForExitAsync();
}

static string Rate(long bytes, TimeSpan time) => $"{bytes / time.TotalSeconds / 1e6:0} MB/s";
static string Size(long bytes) => bytes switch
{
    >= 1024 * MiB => $"{bytes / (1024.0 * MiB):0.#} GiB",
    >= MiB => $"{bytes / (double)MiB:0.#} MiB",
    _ => $"{bytes / 1024.0:0.#} KiB",
};
static string Ratio(TimeSpan reference, TimeSpan ours) => $"{reference / ours:0.00}";

// 10,000 healthy VIMs, then the same with three webhook subscriptions and two DMaaP consumer groups attached (issue 20:
// ≤ 1.1 × without); each run with its own VIMs, the subscribers attached only for the second.
static async Task MeasureHealthy10kAsync(BenchSystem system, ImageManager.VimSimulator.VimSimulator simulator,
    List<(string What, string Ours, string Reference, string Ratio)> rows)
{
    var without = await ControlPlaneBench.MeasureAsync(system, simulator, 10_000, "healthy VIMs");
    rows.AddRange(without.Rows);
    await using var subscribers = await NotificationSubscribers.AttachAsync(system);
    var with = await ControlPlaneBench.MeasureAsync(system, simulator, 10_000, "healthy VIMs, 3 webhooks and 2 DMaaP groups attached", subscribers: subscribers);
    rows.AddRange(with.Rows);
    rows.Add(("  with those subscribers vs without, request to completed (goal ≤ 1.1 ×)", $"{with.Elapsed.TotalSeconds:0.0} s",
        $"{without.Elapsed.TotalSeconds:0.0} s", $"{with.Elapsed / without.Elapsed:0.00} ×"));
}
