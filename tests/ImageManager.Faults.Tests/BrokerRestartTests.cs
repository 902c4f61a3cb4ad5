using System.Diagnostics;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>RabbitMQ restarts in the middle of a large distribution: every service loses its connection and must find the broker again by itself.</summary>
[Collection(FaultCollection.Name)]
public sealed class BrokerRestartTests(FaultSystemFixture system, ITestOutputHelper output)
{
    [Fact]
    public async Task When_rabbitmq_restarts_mid_way_every_vim_is_served_once_and_the_distribution_completes_once()
    {
        var vims = await system.AddSimulatedVimsAsync("restart", SlowVims.Count, SlowVims.Behaviour);
        var (imageId, image) = await system.ActiveImageAsync("restart");

        var clock = Stopwatch.StartNew();
        var distributionId = await system.DistributeToGroupAsync(imageId, "restart");
        await system.WaitForProgressAsync(distributionId, SlowVims.FaultAt);
        var stoppedAt = clock.Elapsed;
        var servedBeforeRestart = vims.Count(v => system.Simulator.UploadsTo(v) > 0);
        await system.Broker.RestartAsync();
        var restartedAt = clock.Elapsed;
        Assert.True(vims.Any(v => system.Simulator.UploadsTo(v) == 0), "The distribution was over before the broker came back: the test tested nothing.");

        var (uploads, retried) = await system.ExpectEveryVimServedOnceAsync(distributionId, image, vims);
        // Every tenth VIM fails its first request, so about a tenth of the targets take a retry; a few fewer when the fault
        // lands between a failure and its retry (the message comes back from the broker as the same attempt).
        Assert.True(retried > vims.Count / 20, $"Only {retried} targets took a retry; every tenth VIM fails its first request.");

        output.WriteLine($"{vims.Count} targets; broker stopped after {stoppedAt.TotalSeconds:0.0} s with {servedBeforeRestart} VIMs served, up again after "
            + $"{restartedAt.TotalSeconds:0.0} s; all active after {clock.Elapsed.TotalSeconds:0.0} s, {retried} of them after a retry; "
            + $"{uploads} uploads counted by the VIMs; {FaultSystemFixture.CompletionsOf(distributionId).Count} DistributionCompleted.");
    }
}
