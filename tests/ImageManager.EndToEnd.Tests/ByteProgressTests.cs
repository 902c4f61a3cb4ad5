using ImageManager.Testing;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A target's bytes, progress and ETA while the bytes flow, to a VIM that takes them (push) and to one that pulls them from
/// the Api (web-download): the status API is polled while a slow VIM receives the image.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ByteProgressTests(SystemFixture system, ITestOutputHelper output) : IAsyncLifetime
{
    const int MiB = 1024 * 1024;

    /// <summary>How often the status is read: well under the 2 s within which the bytes must move.</summary>
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_a_slow_VIM_takes_an_image_its_bytes_sent_grow_in_steps_with_progress_and_eta_until_it_is_active()
    {
        // The VIM limits what it reads, so the sender's count runs ahead by what the sockets hold (about 6 MiB here),
        // which the first 2 s, not reported, fill: the image is large enough for the count to move long after that.
        var (size, bandwidth) = (24 * MiB, 1536 * 1024);
        var imageId = await ActiveImageAsync("bytes-push", size);
        var vim = $"sim_bytes-push-{Guid.NewGuid():N}"[..28];
        _simulator.Configure(vim, new SimulatedVimBehaviour { BandwidthBytesPerSecond = bandwidth });
        var vimId = await system.RegisterGlanceAsync("bytes-push", _simulator.EndpointOf(vim));

        var snapshots = await WatchAsync(await system.DistributeAsync(imageId, vimId));

        ExpectBytesFlowed(snapshots, size, (double)size / bandwidth);
        Assert.Equal(1, _simulator.UploadsTo(vim));
        await ExpectNoWriteAfterTheEndAsync(snapshots[^1], imageId, vimId);
    }

    [Fact]
    public async Task When_a_slow_VIM_pulls_an_image_by_web_download_the_bytes_the_api_serves_show_as_they_go()
    {
        var (size, bandwidth) = (12 * MiB, 1536 * 1024);
        var imageId = await ActiveImageAsync("bytes-pull", size);
        var vim = $"sim_bytes-pull-{Guid.NewGuid():N}"[..28];
        _simulator.Configure(vim, new SimulatedVimBehaviour { BandwidthBytesPerSecond = bandwidth });
        var vimId = await system.RegisterGlanceAsync("bytes-pull", _simulator.EndpointOf(vim), uploadMode: "web-download");

        var snapshots = await WatchAsync(await system.DistributeAsync(imageId, vimId));

        ExpectBytesFlowed(snapshots, size, (double)size / bandwidth);
        Assert.Equal(0, _simulator.UploadsTo(vim)); // pulled, not pushed
        await ExpectNoWriteAfterTheEndAsync(snapshots[^1], imageId, vimId);
    }

    [Fact]
    public async Task When_48_MiB_go_to_a_real_Glance_capped_at_3_MiB_per_second_the_status_shows_bytes_progress_and_eta_every_2_seconds()
    {
        // The case that showed bytesSent 0, progress 0 and no ETA for 16 s, then 100 %: Image Manager's own cap, a real Glance.
        var (size, cap) = (48 * MiB, 3 * MiB);
        var imageId = await ActiveImageAsync("bytes-glance", size);
        var vimId = await system.RegisterVimAsync("bytes-glance", Infrastructure.Glance1,
            new Dictionary<string, object?> { ["limits"] = new { bandwidthBytesPerSecond = cap } });

        var distributionId = await system.DistributeAsync(imageId, vimId);
        var snapshots = await WatchAsync(distributionId);

        ExpectBytesFlowed(snapshots, size, (double)size / cap);
        output.WriteLine("Transcript, the first read of every 2 s of the watch, and the last (time since the request; the target; the distribution):");
        foreach (var line in EveryTwoSeconds(snapshots))
        {
            output.WriteLine(line.ToString());
        }

        var vimImageId = (await system.GetJsonAsync($"/api/v1/distributions/{distributionId}"))["targets"]![0]!["vimImageId"]!.GetValue<string>();
        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        using var _ = await glance.DeleteAsync($"/v2/images/{vimImageId}");
    }

    /// <summary>The Distribution's <c>ReportStepsAfter</c>, which these tests leave as it is.</summary>
    static readonly TimeSpan StepsReportedAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// What the fix promises: while uploading, the bytes moved at least once per 2 s of the expected transfer once it was reported (so at least
    /// that many distinct counts between nothing and everything), each with a progress strictly between 0 and 1 and an ETA
    /// once the transfer has a pace; the distribution's progress moved with them; at the end every byte, 100 %, no time left.
    /// </summary>
    void ExpectBytesFlowed(IReadOnlyList<ProgressSnapshot> snapshots, long size, double expectedSeconds)
    {
        foreach (var snapshot in snapshots)
        {
            output.WriteLine(snapshot.ToString());
        }

        var flowing = snapshots.Where(s => s.State == "uploading" && s.BytesSent > 0 && s.BytesSent < size).ToList();
        var steps = flowing.Select(s => s.BytesSent).Distinct().Count();
        // The first seconds of an upload are not reported (a step is, once it has lasted DistributionOptions.ReportStepsAfter).
        var least = (int)((expectedSeconds - StepsReportedAfter.TotalSeconds) / 2) - 1;
        Assert.True(steps >= least, $"bytesSent took {steps} values between 0 and {size} while uploading; at least {least} were due in the expected {expectedSeconds:0.0} s.");
        Assert.All(flowing, s => Assert.InRange(s.Progress, 0.0001, 0.99));
        Assert.True(flowing.Select(s => s.Progress).Distinct().Count() >= least, "the target's progress did not move with its bytes");
        Assert.True(flowing.Select(s => s.DistributionProgress).Distinct().Count() >= least, "the distribution's progress did not move with the bytes");
        var paced = flowing.Where(s => s.At >= flowing[0].At + TimeSpan.FromSeconds(1)).ToList();
        Assert.NotEmpty(paced);
        Assert.All(paced, s => Assert.True(s.EtaSeconds > 0 && s.DistributionEtaSeconds > 0, $"no ETA while uploading: {s}"));

        var last = snapshots[^1];
        Assert.Equal(("active", size, 1.0, 0.0, 1.0, 0.0),
            (last.State, last.BytesSent, last.Progress, last.EtaSeconds, last.DistributionProgress, last.DistributionEtaSeconds));
    }

    /// <summary>Once the target is final its row is not written again: two flush intervals later it is exactly as it ended.</summary>
    async Task ExpectNoWriteAfterTheEndAsync(ProgressSnapshot last, Guid imageId, string vimId)
    {
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var locations = await system.GetJsonAsync($"/api/v1/distributions?imageId={imageId}");
        var distributionId = locations["distributions"]![0]!["id"]!.GetValue<string>();
        var target = (await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets"))["targets"]![0]!;
        Assert.Equal((vimId, last.UpdatedAt, last.BytesSent), (target["vimId"]!.GetValue<string>(), target["updatedAt"]!.GetValue<DateTimeOffset>(), target["bytesSent"]!.GetValue<long>()));
    }

    Task<IReadOnlyList<ProgressSnapshot>> WatchAsync(Guid distributionId) =>
        ProgressWatch.UntilCompletedAsync(system, distributionId, PollInterval, TimeSpan.FromMinutes(2));

    /// <summary>The first snapshot at or after each multiple of 2 s, and the last.</summary>
    static IEnumerable<ProgressSnapshot> EveryTwoSeconds(IReadOnlyList<ProgressSnapshot> snapshots) =>
        snapshots.GroupBy(s => (int)(s.At.TotalSeconds / 2)).Select(g => g.First()).Append(snapshots[^1]).Distinct();

    async Task<Guid> ActiveImageAsync(string name, int size)
    {
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, TestImage.Random(size));
        await system.WaitForStatusAsync(imageId, "active");
        return imageId;
    }
}
