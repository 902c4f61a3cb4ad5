using ImageManager.Testing;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The Distribution service dies (SIGKILL) while a target's bytes flow: the count it last wrote must not stand for what the
/// VIM has. The next run sends the image again from its first byte and counts from zero, and the target ends with the
/// image's size, not with the sum of both runs.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ByteProgressKillTests(FaultSystemFixture system, ITestOutputHelper output)
{
    const int MiB = 1024 * 1024;

    [Fact]
    public async Task When_the_distribution_service_dies_mid_upload_the_next_run_counts_from_zero_and_the_target_ends_with_the_image_size()
    {
        var image = TestImage.Random(8 * MiB);
        var imageId = await system.CreateImageAsync("bytes-kill", image.Sha256, image.Sha512);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");

        // Image Manager's own cap paces the sender, so the count is not ahead of the VIM by a socket buffer's worth.
        var vim = $"bytes-kill-{Guid.NewGuid():N}"[..20];
        system.Simulator.Configure(vim, VimSimulator.SimulatedVimBehaviour.Healthy);
        var vimId = await system.RegisterVimAsync(vim, system.Simulator.EndpointOf(vim),
            new Dictionary<string, object?> { ["limits"] = new { bandwidthBytesPerSecond = MiB } });
        var distributionId = await system.DistributeAsync(imageId, vimId);

        var killedAt = await Eventually.Get(
            () => system.PollJsonAsync($"/api/v1/distributions/{distributionId}"),
            distribution => distribution["targets"]?[0]?["bytesSent"]?.GetValue<long>() >= 3 * MiB,
            TimeSpan.FromMinutes(1),
            "3 MiB of the image sent");
        await system.Distribution.KillAsync();
        var before = killedAt["targets"]![0]!["bytesSent"]!.GetValue<long>();
        await system.Distribution.RestartAsync();

        var snapshots = await ProgressWatch.UntilCompletedAsync(system, distributionId, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(3));
        output.WriteLine($"killed with {before:N0} bytes sent; then:");
        foreach (var snapshot in snapshots)
        {
            output.WriteLine(snapshot.ToString());
        }

        Assert.Contains(snapshots, s => s.BytesSent < before && s.State is "uploading" or "pending");
        var last = snapshots[^1];
        Assert.Equal(("active", (long)image.Bytes.Length, 1.0), (last.State, last.BytesSent, last.Progress));
        Assert.Equal(1, system.Simulator.UploadsTo(vim)); // one whole upload; the cut one never completed
    }
}
