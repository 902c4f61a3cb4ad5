using System.Diagnostics;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>The Distribution service dies (SIGKILL: no shutdown, nothing settled) in the middle of a large distribution and is started again.</summary>
[Collection(FaultCollection.Name)]
public sealed class ServiceKillTests(FaultSystemFixture system, ITestOutputHelper output)
{
    [Fact]
    public async Task When_the_distribution_service_is_killed_mid_way_every_vim_is_served_once_and_the_distribution_completes_once()
    {
        var vims = await system.AddSimulatedVimsAsync("kill", SlowVims.Count, SlowVims.Behaviour);
        var (imageId, image) = await system.ActiveImageAsync("kill");

        var clock = Stopwatch.StartNew();
        var distributionId = await system.DistributeToGroupAsync(imageId, "kill");
        await system.WaitForProgressAsync(distributionId, SlowVims.FaultAt);
        await system.Distribution.KillAsync();
        var killedAt = clock.Elapsed;
        var servedBeforeKill = vims.Count(v => system.Simulator.UploadsTo(v) > 0);
        Assert.True(servedBeforeKill < vims.Count, "The distribution was over before the kill: the test tested nothing.");

        await system.Distribution.RestartAsync();
        var restartedAt = clock.Elapsed;
        var (uploads, retried) = await system.ExpectEveryVimServedOnceAsync(distributionId, image, vims);
        // Every tenth VIM fails its first request, so about a tenth of the targets take a retry; a few fewer when the fault
        // lands between a failure and its retry (the message comes back from the broker as the same attempt).
        Assert.True(retried > vims.Count / 20, $"Only {retried} targets took a retry; every tenth VIM fails its first request.");

        output.WriteLine($"{vims.Count} targets; killed after {killedAt.TotalSeconds:0.0} s with {servedBeforeKill} VIMs served, up again after "
            + $"{restartedAt.TotalSeconds:0.0} s; all active after {clock.Elapsed.TotalSeconds:0.0} s, {retried} of them after a retry; "
            + $"{uploads} uploads counted by the VIMs; {FaultSystemFixture.CompletionsOf(distributionId).Count} DistributionCompleted.");
    }
}
