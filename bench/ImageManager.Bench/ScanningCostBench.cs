using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace ImageManager.Bench;

/// <summary>
/// What the malware scan costs validation (issue 21's goal: at most 2 × slower with it): the same file, its first bytes
/// new each round, uploaded to a system with clamd declared and scanning required, and to one without clamd
/// (<c>Scanning__Required=false</c>), in interleaved rounds, each timed from the PUT's 202 to the image <c>active</c>;
/// the median round is the figure. Also the CPU seconds clamd and each system's Validation process spent per round,
/// read from /proc before the PUT (both are idle while the Api stores the bytes) and after <c>active</c>.
/// </summary>
public static class ScanningCostBench
{
    /// <summary>Polling the status faster than this slows what is measured on two cores.</summary>
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>No round waits longer than this for <c>active</c> (clamd's own limit per window is 10 minutes).</summary>
    static readonly TimeSpan RoundLimit = TimeSpan.FromMinutes(15);

    public static async Task<List<(string What, string Ours, string Reference, string Ratio)>> MeasureAsync(
        BenchSystem scanned, BenchSystem unscanned, string file, int rounds, string warmUpFile)
    {
        // JIT, connection pools and clamd's first session at steady state on both systems, as for the other parts.
        await ValidateAsync(scanned, warmUpFile);
        await ValidateAsync(unscanned, warmUpFile);

        var with = new List<ScanningRound>();
        var without = new List<ScanningRound>();
        for (var round = 0; round < rounds; round++)
        {
            // clamd keeps the MD5 of every clean file it scanned and answers the same bytes again from that cache
            // without scanning: with one file for every round, only the first round measured a scan (27-30 s against
            // 3 s for the others in sessions 18 and 19). New first bytes each round make every round a file never seen.
            await MakeDistinctAsync(file);
            // Each system goes first every other round, so neither always follows the other's writes.
            if (round % 2 == 0)
            {
                with.Add(await ValidateAsync(scanned, file));
                without.Add(await ValidateAsync(unscanned, file));
            }
            else
            {
                without.Add(await ValidateAsync(unscanned, file));
                with.Add(await ValidateAsync(scanned, file));
            }

            Console.Error.WriteLine($"[bench] scanning round {round + 1}/{rounds}: with clamd {with[^1].Validation.TotalSeconds:0.00} s, without {without[^1].Validation.TotalSeconds:0.00} s");
        }

        var (withMedian, withoutMedian) = (Median(with, r => r.Validation.TotalSeconds), Median(without, r => r.Validation.TotalSeconds));
        var size = Size(new FileInfo(file).Length);
        return
        [
            ($"validation of {size}, 202 to active: with clamd vs without (median of {rounds}, goal ≤ 2 ×)", $"{withMedian:0.00} s", $"{withoutMedian:0.00} s",
                $"{withMedian / withoutMedian:0.00} ×"),
            ("  spread of the rounds", Spread(with, r => r.Validation.TotalSeconds), Spread(without, r => r.Validation.TotalSeconds), ""),
            ("  clamd CPU seconds per round (median; without: clamd is not asked)", $"{Median(with, r => r.ClamdCpu):0.0} s",
                $"{Median(without, r => r.ClamdCpu):0.0} s", ""),
            ("  Validation process CPU seconds per round (median)", $"{Median(with, r => r.ValidationCpu):0.0} s", $"{Median(without, r => r.ValidationCpu):0.0} s", ""),
        ];
    }

    /// <summary>One upload of <paramref name="file"/> to <paramref name="system"/>, on a quiet machine, waited until <c>active</c>.</summary>
    static async Task<ScanningRound> ValidateAsync(BenchSystem system, string file)
    {
        await SettleAsync();
        var imageId = await system.CreateImageAsync("scanning");
        var validationPid = system.Services["validation"].ProcessId;
        var (clamdBefore, validationBefore) = (ClamdSeconds(), ComponentCpuTime.OfProcess(validationPid));
        await using (var content = File.OpenRead(file))
        {
            using var body = new StreamContent(content, 1 << 20);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await system.Api.PutAsync($"/api/v1/images/{imageId}/file", body);
            response.EnsureSuccessStatusCode();
        }

        var clock = Stopwatch.StartNew();
        while (await StatusAsync(system, imageId) is var status && status != "active")
        {
            if (status == "rejected" || clock.Elapsed > RoundLimit)
            {
                throw new InvalidOperationException($"Image {imageId} is {status} after {clock.Elapsed.TotalSeconds:0} s instead of active: {await system.GetAsync($"/api/v1/images/{imageId}")}");
            }

            await Task.Delay(PollInterval);
        }

        var validation = clock.Elapsed;
        var round = new ScanningRound(validation, ClamdSeconds() - clamdBefore, ComponentCpuTime.OfProcess(validationPid) - validationBefore);
        // The next round stores the same bytes anew instead of finding them.
        await system.DeleteBlobAsync(imageId);
        return round;
    }

    static async Task MakeDistinctAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.None);
        await stream.WriteAsync(RandomNumberGenerator.GetBytes(32));
    }

    static async Task<string> StatusAsync(BenchSystem system, Guid imageId) =>
        (await system.GetAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>();

    /// <summary>clamd's CPU seconds so far (0 when it is not running here: the scanned rounds would then fail anyway).</summary>
    static double ClamdSeconds() => ComponentCpuTime.Read().GetValueOrDefault(ComponentCpuTime.Clamd);

    /// <summary>Dirty pages of the previous round are written back first, so no round pays for another's writes.</summary>
    static async Task SettleAsync()
    {
        using (var sync = Process.Start("sync"))
        {
            await sync.WaitForExitAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    static double Median(List<ScanningRound> rounds, Func<ScanningRound, double> value) => rounds.Select(value).Order().ElementAt(rounds.Count / 2);

    static string Spread(List<ScanningRound> rounds, Func<ScanningRound, double> value) => $"{rounds.Min(value):0.00}–{rounds.Max(value):0.00} s";

    static string Size(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.#} GiB" : $"{bytes / (double)(1L << 20):0.#} MiB";
}
