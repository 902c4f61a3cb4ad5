using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Npgsql;

namespace ImageManager.Bench;

/// <summary>
/// What byte progress costs the database: one image to many simulated VIMs, each capped by Image Manager (so the uploads
/// last and the count is what went out, not what a socket buffer took), and while the uploads are in flight with no
/// target changing state, the statements committed and the target rows updated per second in the Distribution's
/// database, beside the uploads in flight: each replica writes every count that moved in one statement a second.
/// </summary>
public static class ByteProgressBench
{
    /// <summary>2 MiB at 64 KiB/s, the smallest cap a VIM may have: 32 s per upload.</summary>
    const int ImageBytes = 2 * 1024 * 1024;
    const long Cap = 64 * 1024;

    /// <summary>
    /// The window measured: once the uploads in flight stopped growing (every upload this replica takes at once has
    /// started), and over before the first of them can end.
    /// </summary>
    static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task<List<(string What, string Ours, string Reference, string Ratio)>> MeasureAsync(BenchSystem system, VimSimulator.VimSimulator simulator, int targets)
    {
        simulator.DefaultBehaviour = VimSimulator.SimulatedVimBehaviour.Healthy;
        var prefix = $"bp{Guid.NewGuid():N}"[..10];
        var vimIds = Enumerable.Range(0, targets).Select(i => $"{prefix}_{i:D5}").ToArray();
        await Parallel.ForEachAsync(vimIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (vim, cancellationToken) =>
        {
            using var response = await system.Api.PostAsJsonAsync("/api/v1/vims",
                new { id = vim, type = "openstack", endpoint = simulator.EndpointOf(vim), limits = new { bandwidthBytesPerSecond = Cap } }, cancellationToken);
            response.EnsureSuccessStatusCode();
        });

        var imageId = await system.CreateImageAsync($"byte-progress-{targets}");
        using (var content = new ByteArrayContent(RandomNumberGenerator.GetBytes(ImageBytes)))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var uploaded = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", content);
            uploaded.EnsureSuccessStatusCode();
        }

        await Until(async () => (await system.GetAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>() == "active", TimeSpan.FromMinutes(2));

        var clock = Stopwatch.StartNew();
        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds });
        accepted.EnsureSuccessStatusCode();
        var distributionId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>();
        var plateau = await PlateauAsync(system, distributionId);
        Console.Error.WriteLine($"[bench] byte progress: {plateau} uploads in flight after {clock.Elapsed.TotalSeconds:0.0} s");

        var (uploadingBefore, bytesBefore) = await UploadingAsync(system, distributionId);
        var before = await StatisticsAsync(system.DistributionConnectionString);
        var windowClock = Stopwatch.StartNew();
        await Task.Delay(Window);
        var after = await StatisticsAsync(system.DistributionConnectionString);
        var seconds = windowClock.Elapsed.TotalSeconds;
        var (uploadingAfter, bytesAfter) = await UploadingAsync(system, distributionId);
        var (_, firstEnded) = await FinalAsync(system, distributionId);

        await Until(async () => (await system.GetAsync($"/api/v1/distributions/{distributionId}"))["state"]!.GetValue<string>() == "completed", TimeSpan.FromMinutes(20));
        var elapsed = clock.Elapsed;

        // What the database does with nothing in flight (the scheduler's and the health probe's polling), for comparison.
        var idleBefore = await StatisticsAsync(system.DistributionConnectionString);
        await Task.Delay(Window);
        var idle = (await StatisticsAsync(system.DistributionConnectionString)).Commits - idleBefore.Commits;

        var statements = (after.Commits - before.Commits) / seconds;
        var rows = (after.TargetRowsUpdated - before.TargetRowsUpdated) / seconds;
        var inFlight = (uploadingBefore + uploadingAfter) / 2.0;
        return
        [
            ($"byte progress: {targets:N0} VIMs capped at 64 KiB/s, {ImageBytes / 1024 / 1024} MiB each ({elapsed.TotalSeconds:0} s to completed), {Window.TotalSeconds:0} s measured mid-upload",
                $"{uploadingBefore} -> {uploadingAfter} uploading", firstEnded == 0 ? "none ended meanwhile" : $"{firstEnded} ended meanwhile", ""),
            ("  Distribution PostgreSQL: transactions / s (idle: once all ended); target rows updated / s",
                $"{statements:0.0} /s (idle {idle / Window.TotalSeconds:0.0}); {rows:0} /s", $"{inFlight:0} /s if each count were its own write", $"{inFlight / Math.Max(statements, 0.1):0}"),
            ("  bytes shown by the status API during the window", $"{(bytesAfter - bytesBefore) / seconds / 1024 / 1024:0.0} MiB/s", $"{inFlight * Cap / 1024.0 / 1024:0.0} MiB/s at the caps", ""),
        ];
    }

    /// <summary>Waits until the uploads in flight stop growing for two seconds; returns how many there are.</summary>
    static async Task<int> PlateauAsync(BenchSystem system, string distributionId)
    {
        var (most, since) = (0, Stopwatch.StartNew());
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(2); await Task.Delay(250))
        {
            var (uploading, _) = await UploadingAsync(system, distributionId);
            if (uploading > most)
            {
                (most, since) = (uploading, Stopwatch.StartNew());
            }
            else if (most > 0 && since.Elapsed >= TimeSpan.FromSeconds(2))
            {
                return most;
            }
        }

        throw new TimeoutException("the uploads in flight never stopped growing");
    }

    /// <summary>How many targets are final, as the status API shows it.</summary>
    static async Task<(string State, int Final)> FinalAsync(BenchSystem system, string distributionId)
    {
        var distribution = await system.GetAsync($"/api/v1/distributions/{distributionId}");
        var counts = distribution["counts"]!.AsObject();
        return (distribution["state"]!.GetValue<string>(), ImageManager.Contracts.Distributions.TargetStates.Final.Sum(s => counts[s]?.GetValue<int>() ?? 0));
    }

    /// <summary>Targets uploading, and the bytes sent, as the status API shows them.</summary>
    static async Task<(int Uploading, long Bytes)> UploadingAsync(BenchSystem system, string distributionId)
    {
        var distribution = await system.GetAsync($"/api/v1/distributions/{distributionId}");
        return (distribution["counts"]!["uploading"]!.GetValue<int>(), distribution["bytesSent"]!.GetValue<long>());
    }

    /// <summary>Transactions committed in the Distribution's database, and rows updated in its targets' table.</summary>
    static async Task<(long Commits, long TargetRowsUpdated)> StatisticsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
                   (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'distribution_targets')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
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

            await Task.Delay(200);
        }
    }
}
