using System.Diagnostics;
using System.Globalization;
using System.Text;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The highly available system under faults: while a distribution to 2,000 VIMs and a 1 GiB resumable upload through
/// HAProxy run, one node of every clustered engine and one replica of every service are SIGKILLed and started again,
/// one after the other, while a client keeps asking the Api and writes down every answer.
/// </summary>
[Collection(HaCollection.Name)]
public sealed class HighAvailabilityTests(HaSystemFixture system, ITestOutputHelper output)
{
    const int VimCount = 2000;
    const long UploadLength = 1L << 30;
    const long UploadRate = 12L << 20;

    /// <summary>Healthy VIMs, slow enough that the distribution lasts through the faults; every tenth refuses its first request.</summary>
    static readonly SimulatedVimBehaviour Slow = new() { Latency = TimeSpan.FromMilliseconds(50), BandwidthBytesPerSecond = 128 * 1024 };

    [Fact]
    public async Task When_a_node_of_every_engine_and_a_replica_of_every_service_are_killed_nothing_is_lost_or_done_twice()
    {
        var vims = await system.AddSimulatedVimsAsync("ha", VimCount, i => i % 10 == 0 ? Slow with { FailWith = Fault.Status(503), FailFirst = 1 } : Slow);
        var (imageId, image) = await system.ActiveImageAsync("ha");
        var bigSha256 = PatternStream.Sha256Of(seed: 18, UploadLength);
        var bigId = await system.CreateImageAsync("ha-big", sha256: bigSha256);

        var clock = Stopwatch.StartNew();
        var distributionId = await system.DistributeToGroupAsync(imageId, "ha");
        await using var probe = ApiProbe.Start(system.Api, [$"/api/v1/distributions/{distributionId}", $"/api/v1/images/{imageId}", "/api/v1/vims?limit=1"], clock);
        var uploader = new ResumingUploader(system.Api, bigId, seed: 18, UploadLength, UploadRate);
        using var uploadDeadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var upload = AcceptedAsync();
        async Task<TimeSpan> AcceptedAsync()
        {
            await uploader.RunAsync(uploadDeadline.Token);
            return clock.Elapsed;
        }


        var faults = new List<(string What, TimeSpan KilledAt, TimeSpan BackAt)>();
        async Task Break(string what, Func<Task> kill, Func<Task> mend)
        {
            var killedAt = clock.Elapsed;
            await kill();
            // Long enough for every client to notice (HAProxy checks every 500 ms, AMQP heartbeats, Patroni's ttl).
            await Task.Delay(TimeSpan.FromSeconds(3));
            await mend();
            faults.Add((what, killedAt, clock.Elapsed));
        }

        async Task BreakNode(string node) => await Break($"node {node}", () => HaSystemFixture.KillNodeAsync(node), () => HaSystemFixture.StartNodeAsync(node));
        async Task BreakReplica(string instance) => await Break($"replica {instance}", () => system.Services[instance].KillAsync(), () => system.Services[instance].RestartAsync());

        await system.WaitForProgressAsync(distributionId, 0.02);
        // Both Api replicas first, one after the other, the one the balancer gave the upload to first: it is cut once.
        var carrier = await BusiestReader.AmongAsync(system.Services, ["api", "api-2"], TimeSpan.FromSeconds(2));
        await BreakReplica(carrier);
        await BreakReplica(carrier == "api" ? "api-2" : "api");
        await BreakNode("rabbitmq-1");
        await BreakNode("galera-1");
        await BreakNode("postgres-primary");
        await BreakReplica("catalog");
        await BreakReplica("distribution");
        await BreakReplica("validation");
        await BreakReplica("notifications");

        var acceptedAt = await upload;
        // Assembling (reading 1 GiB from the store and writing it again) and validating (reading it again) on two busy
        // cores, perhaps twice when a replica doing it was killed: minutes, not the usual 90 s.
        var uploaded = await system.WaitForStatusAsync(bigId, TimeSpan.FromMinutes(5), "active", "rejected");
        var validatedAt = clock.Elapsed;
        var (uploads, retried) = await system.ExpectEveryVimServedOnceAsync(distributionId, image, vims);
        var completedAt = clock.Elapsed;
        await probe.StopAsync();

        Assert.Equal("active", uploaded["status"]!.GetValue<string>());
        Assert.Equal(bigSha256, uploaded["sha256"]!.GetValue<string>());
        Assert.True(uploader.ResumedAt.Any(offset => offset > 0),
            $"The upload was never cut and resumed (answers {string.Join(", ", uploader.Answers)}): its Api replica should have been killed under it.");

        var report = Report(probe.Answers, faults, uploader, vims.Count, uploads, retried, completedAt, (acceptedAt, validatedAt));
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(RepositoryPaths.TestOutput, "high-availability-report.md"), report);
    }

    static string Report(IReadOnlyList<ProbeAnswer> answers, IReadOnlyList<(string What, TimeSpan KilledAt, TimeSpan BackAt)> faults,
        ResumingUploader uploader, int targets, int uploads, int retried, TimeSpan completedAt, (TimeSpan Accepted, TimeSpan Active) big)
    {
        var text = new StringBuilder();
        var ok = answers.Count(a => a.Succeeded);
        var client = answers.Count(a => a.Status is >= 400 and < 500);
        var server = answers.Count(a => a.Status >= 500);
        var none = answers.Count(a => a.Status is null);
        text.AppendLine(CultureInfo.InvariantCulture, $"{targets} targets, all active after {completedAt.TotalSeconds:0} s; {uploads} uploads counted by the VIMs (one each); {retried} targets retried; one DistributionCompleted.")
            .AppendLine(CultureInfo.InvariantCulture, $"1 GiB resumable upload: {uploader.Answers.Count} requests (answers {string.Join(", ", uploader.Answers.GroupBy(a => a?.ToString(CultureInfo.InvariantCulture) ?? "none").Select(g => $"{g.Key} ×{g.Count()}"))}), resumed at {string.Join(", ", uploader.ResumedAt.GroupBy(o => o).Select(g => $"{g.Key / (1 << 20)} MiB" + (g.Count() > 1 ? $" ({g.Count()} tries from there)" : "")))}; accepted at {big.Accepted.TotalSeconds:0} s, active at {big.Active.TotalSeconds:0} s; digest right.")
            .AppendLine(CultureInfo.InvariantCulture, $"Requests of the upload given up after a minute without progress: {(uploader.Stalls.Count == 0 ? "none" : string.Join(", ", uploader.Stalls.Select(s => $"from {s.Offset / (1 << 20)} MiB after {s.After.TotalSeconds:0} s")))}.")
            .AppendLine(CultureInfo.InvariantCulture, $"API probe: {answers.Count} requests; 2xx {Share(ok)}, 4xx {Share(client)}, 5xx {Share(server)}, no answer {Share(none)}.")
            .AppendLine()
            .AppendLine("| fault | killed at | back at | failed requests | longest run without a 2xx |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var (what, killedAt, backAt) in faults)
        {
            // What the outside saw from the kill until a little after the node or replica was back.
            var window = answers.Where(a => a.SentAt >= killedAt && a.SentAt <= backAt + TimeSpan.FromSeconds(10)).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {what} | {killedAt.TotalSeconds:0.0} s | {backAt.TotalSeconds:0.0} s | {window.Count(a => !a.Succeeded)} of {window.Count} | {LongestOutage(window).TotalSeconds:0.0} s |");
        }

        return text.ToString();

        string Share(int count) => answers.Count == 0 ? "n/a" : $"{count} ({100.0 * count / answers.Count:0.0} %)";
    }

    /// <summary>The longest time between the first of a run of failed answers and the next good one.</summary>
    static TimeSpan LongestOutage(IReadOnlyList<ProbeAnswer> answers)
    {
        var longest = TimeSpan.Zero;
        TimeSpan? failingSince = null;
        foreach (var answer in answers)
        {
            if (!answer.Succeeded)
            {
                failingSince ??= answer.SentAt;
            }
            else if (failingSince is { } since)
            {
                longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (answer.SentAt - since).Ticks));
                failingSince = null;
            }
        }

        return failingSince is { } open && answers.Count > 0 ? TimeSpan.FromTicks(Math.Max(longest.Ticks, (answers[^1].SentAt - open).Ticks)) : longest;
    }
}
