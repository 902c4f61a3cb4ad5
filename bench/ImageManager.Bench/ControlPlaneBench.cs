using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Npgsql;

namespace ImageManager.Bench;

/// <summary>
/// One small image to many simulated VIMs (<see cref="VimSimulator.VimSimulator"/>), everything on this machine:
/// request to completion, targets/s, PostgreSQL transactions per target and each service's peak memory; beside a
/// sequential loop that puts the image on each VIM in turn, as operators do by hand today, and beside a bare parallel
/// loop making the same four calls per VIM with the system's concurrency and nothing recorded (the least a fan-out costs).
/// </summary>
public static class ControlPlaneBench
{
    const int ImageBytes = 64 * 1024;

    /// <summary>
    /// The warm-up's VIMs: enough that the services' hot paths are compiled at their final tier before a measured run, as in
    /// a service that has been running. With 200, a profile of the 10,000-VIM run found 15 % of the Distribution's CPU in
    /// the JIT, and the second run of a pair (with subscribers) ran warmer than the first.
    /// </summary>
    public const int WarmUpVims = 2_000;

    /// <summary>The sequential reference runs on at most this many VIMs and is scaled to the full count (each VIM costs it the same).</summary>
    const int SequentialSample = 300;

    public static async Task<ControlPlaneMeasurement> MeasureAsync(
        BenchSystem system, VimSimulator.VimSimulator simulator, int targets, string label, VimSimulator.SimulatedVimBehaviour? behaviour = null,
        NotificationSubscribers? subscribers = null)
    {
        simulator.DefaultBehaviour = VimSimulator.SimulatedVimBehaviour.Healthy;
        var prefix = $"cp{Guid.NewGuid():N}"[..10];
        var vimIds = Enumerable.Range(0, targets).Select(i => $"{prefix}_{i:D5}").ToArray();
        // Registered in bulk (PUT /api/v1/vims, up to 10,000 a request): one at a time, the per-caller rate limit made this 100 s of the run.
        foreach (var chunk in vimIds.Chunk(VimRegistrationBench.Fleet))
        {
            using var response = await system.Api.PutAsJsonAsync("/api/v1/vims", new { vims = chunk.Select(vim => new { id = vim, type = "openstack", endpoint = simulator.EndpointOf(vim) }) });
            response.EnsureSuccessStatusCode();
        }

        // Each registration is probed in the background: the distribution is measured after those probes, not beside them.
        await Until(async () => (await system.GetAsync("/api/v1/vims?health=unknown&limit=1"))["vims"]!.AsArray().Count == 0, TimeSpan.FromMinutes(10));

        var bytes = RandomNumberGenerator.GetBytes(ImageBytes);
        var imageId = await system.CreateImageAsync($"control-plane-{targets}");
        using (var content = new ByteArrayContent(bytes))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var uploaded = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", content);
            uploaded.EnsureSuccessStatusCode();
        }

        await Until(async () => (await system.GetAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>() == "active", TimeSpan.FromMinutes(2));

        simulator.DefaultBehaviour = behaviour ?? VimSimulator.SimulatedVimBehaviour.Healthy;
        var transactionsBefore = await CommittedTransactionsAsync(system.DistributionConnectionString);
        var requestsBefore = simulator.Requests;
        var messagesBefore = await MessagesReceivedAsync(system);
        var samplers = system.Services.ToDictionary(s => s.Key, s => new MemorySampler(s.Value.ProcessId));
        var cpuBefore = ComponentCpuTime.Read();
        Console.Error.WriteLine($"[bench] {label}: distributing to {targets:N0} VIMs from {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000}");
        var clock = Stopwatch.StartNew();
        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds });
        accepted.EnsureSuccessStatusCode();
        var distributionId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>();
        JsonObject? distribution = null;
        await Until(async () =>
        {
            using var response = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}");
            distribution = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            return distribution?["state"]?.GetValue<string>() == "completed";
        }, TimeSpan.FromMinutes(20));
        var elapsed = clock.Elapsed;
        var cpu = ComponentCpuTime.Between(cpuBefore, ComponentCpuTime.Read());
        Console.Error.WriteLine($"[bench] {label}: completed at {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000} ({elapsed.TotalSeconds:0.0} s)");
        var transactions = await CommittedTransactionsAsync(system.DistributionConnectionString) - transactionsBefore;
        var requests = simulator.Requests - requestsBefore;
        var messages = await MessagesReceivedAsync(system) - messagesBefore;
        foreach (var sampler in samplers.Values)
        {
            await sampler.DisposeAsync();
        }

        var active = distribution!["counts"]!["active"]!.GetValue<int>();
        // Every subscriber must get the completion; how long after the status said so is the notifications' lag.
        var subscribersLag = subscribers is null ? TimeSpan.Zero : await subscribers.WaitForCompletionAsync(distributionId);

        // The reference: the same image put on each VIM in turn, create + upload + check, one after another, under the
        // same latency (faults off: a loop by hand would stop at the first one).
        simulator.DefaultBehaviour = (behaviour ?? VimSimulator.SimulatedVimBehaviour.Healthy) with { ServerErrorRate = 0, TimeoutRate = 0, ResetRate = 0 };
        var sample = Math.Min(targets, SequentialSample);
        var sequential = await SequentialAsync(simulator, vimIds.Take(sample).Select(v => $"{v}-by-hand").ToArray(), bytes) * ((double)targets / sample);
        // The bare loop meets the same faults as the distribution did, and tries a refused call again as the system would.
        simulator.DefaultBehaviour = behaviour ?? VimSimulator.SimulatedVimBehaviour.Healthy;
        var parallel = await BareParallelAsync(simulator, vimIds.Select(v => $"{v}-bare").ToArray(), bytes);
        simulator.DefaultBehaviour = VimSimulator.SimulatedVimBehaviour.Healthy;
        var failed = distribution["counts"]!["failed"]!.GetValue<int>();

        List<(string, string, string, string)> subscriberRows = subscribers is null ? [] :
        [
            ($"  completion at every subscriber, after completed; received: {string.Join(", ", subscribers.Received().Select(r => r.Name))}",
                $"{subscribersLag.TotalSeconds:0.0} s; {string.Join(" / ", subscribers.Received().Select(r => r.Received.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}", "", ""),
        ];
        return new ControlPlaneMeasurement(elapsed, samplers.ToDictionary(s => s.Key, s => s.Value.Peak), cpu,
        [
            .. subscriberRows,
            ($"control plane, {label}: {targets:N0} VIMs, request to completed vs a sequential loop", $"{elapsed.TotalSeconds:0.0} s", $"{sequential.TotalSeconds:0.0} s", $"{sequential / elapsed:0.0}"),
            ($"  beside a bare parallel loop: the same four calls per VIM, {BenchSystem.ConcurrentUploads} at once, nothing recorded", $"{elapsed.TotalSeconds:0.0} s", $"{parallel.TotalSeconds:0.0} s", $"{parallel / elapsed:0.00}"),
            ($"  targets active (failed) / per second", $"{active:N0} ({failed}) / {targets / elapsed.TotalSeconds:0}", $"{targets / sequential.TotalSeconds:0} /s{(sample < targets ? $" (loop timed on {sample}, scaled)" : "")}", ""),
            ($"  VIM requests per second; PostgreSQL transactions per target", $"{requests / elapsed.TotalSeconds:0} /s; {(double)transactions / targets:0.0}", "", ""),
            ($"  bus messages delivered to the services: per second; per target", $"{messages / elapsed.TotalSeconds:0} /s; {(double)messages / targets:0.0}", "", ""),
            // Where the time goes: the machine's CPU seconds during the run, by component, busiest first (2 cores: twice the run at most).
            ($"  CPU seconds during the run: {string.Join(", ", cpu.Take(6).Select(c => c.Component))}", string.Join(" / ", cpu.Take(6).Select(c => $"{c.Seconds:0}")) + " s", "", ""),
            ($"  peak RSS: {string.Join(", ", samplers.Keys)}", string.Join(" / ", samplers.Values.Select(s => $"{s.Peak / (1024 * 1024)}")) + " MiB", "", ""),
        ]);
    }

    static async Task<TimeSpan> SequentialAsync(VimSimulator.VimSimulator simulator, string[] vims, byte[] bytes)
    {
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        foreach (var vim in vims)
        {
            var endpoint = simulator.EndpointOf(vim);
            var id = Guid.NewGuid().ToString();
            using (var created = await http.PostAsJsonAsync(new Uri(endpoint, "v2/images"), new { id, name = "by-hand", disk_format = "raw", container_format = "bare" }))
            {
                created.EnsureSuccessStatusCode();
            }

            using (var content = new ByteArrayContent(bytes))
            {
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var put = await http.PutAsync(new Uri(endpoint, $"v2/images/{id}/file"), content);
                put.EnsureSuccessStatusCode();
            }

            using var check = await http.GetAsync(new Uri(endpoint, $"v2/images/{id}"));
            check.EnsureSuccessStatusCode();
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// The least the fan-out could cost: per VIM the four calls the Glance driver makes (find the bytes by hash, create,
    /// upload, check), <see cref="BenchSystem.ConcurrentUploads"/> VIMs at once, nothing recorded anywhere. A call the VIM
    /// refuses (5xx, as the faulty behaviours do) is made again after the Distribution service's first retry wait (5 s).
    /// </summary>
    static async Task<TimeSpan> BareParallelAsync(VimSimulator.VimSimulator simulator, string[] vims, byte[] bytes)
    {
        var sha512 = Convert.ToHexStringLower(SHA512.HashData(bytes));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = BenchSystem.ConcurrentUploads }) { Timeout = TimeSpan.FromMinutes(2) };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(vims, new ParallelOptions { MaxDegreeOfParallelism = BenchSystem.ConcurrentUploads }, async (vim, cancellationToken) =>
        {
            var endpoint = simulator.EndpointOf(vim);
            var id = Guid.NewGuid().ToString();
            await UntilAnsweredAsync(() => http.GetAsync(new Uri(endpoint, $"v2/images?os_hash_value={sha512}&status=active"), cancellationToken));
            await UntilAnsweredAsync(() => http.PostAsJsonAsync(new Uri(endpoint, "v2/images"), new { id, name = "bare", disk_format = "raw", container_format = "bare" }, cancellationToken));
            await UntilAnsweredAsync(() =>
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return http.PutAsync(new Uri(endpoint, $"v2/images/{id}/file"), content, cancellationToken);
            });
            await UntilAnsweredAsync(() => http.GetAsync(new Uri(endpoint, $"v2/images/{id}"), cancellationToken));
        });
        return clock.Elapsed;

        static async Task UntilAnsweredAsync(Func<Task<HttpResponseMessage>> call)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var response = await call();
                // A create or upload that went through before its refusal was reported answers 409 the second time: done too.
                if (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    return;
                }

                if ((int)response.StatusCode < 500 || attempt == 10)
                {
                    throw new InvalidOperationException($"The bare loop's call answered {(int)response.StatusCode} after {attempt} attempts.");
                }

                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }
    }

    /// <summary>
    /// Deliveries from the broker to the services on the MassTransit bus, as each process counted them.
    /// </summary>
    static async Task<long> MessagesReceivedAsync(BenchSystem system)
    {
        long total = 0;
        foreach (var (instance, service) in system.Services)
        {
            // The Api takes callers' credentials; the services behind it take the service token.
            using var http = system.ClientOf(instance, service.Address);
            var traffic = await http.GetFromJsonAsync<JsonObject>(new Uri(service.Address, "/internal/v1/bus-traffic"));
            total += traffic!["received"]!.GetValue<long>();
        }

        return total;
    }

    static async Task<long> CommittedTransactionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    static async Task Until(Func<Task<bool>> done, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up after {patience}");
            }

            await Task.Delay(100);
        }
    }
}
