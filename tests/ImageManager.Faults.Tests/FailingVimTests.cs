using System.Diagnostics;
using ImageManager.Contracts.Distributions;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>
/// Three VIMs that never work, among healthy ones: one hangs (never answers), one answers 500 to everything, one resets
/// every connection. Each must spend its retries and end <c>failed</c> with what went wrong, without holding up the others.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FailingVimTests(FaultSystemFixture system, ITestOutputHelper output)
{
    const int Healthy = 20;

    [Fact]
    public async Task When_vims_hang_fail_or_reset_each_fails_after_its_retries_and_the_rest_are_served()
    {
        const string group = "failing";
        var healthy = await system.AddSimulatedVimsAsync(group, Healthy, _ => SimulatedVimBehaviour.Healthy);
        await system.AddSimulatedVimAsync(group, "hangs", new SimulatedVimBehaviour { FailWith = Fault.Hang });
        await system.AddSimulatedVimAsync(group, "answers-500", new SimulatedVimBehaviour { FailWith = Fault.Status(500) });
        await system.AddSimulatedVimAsync(group, "resets", new SimulatedVimBehaviour { FailWith = Fault.ResetConnection });
        var (imageId, image) = await system.ActiveImageAsync(group);

        var clock = Stopwatch.StartNew();
        var distributionId = await system.DistributeToGroupAsync(imageId, group);
        var distribution = await system.CompletedAsync(distributionId);
        var took = clock.Elapsed;

        Assert.Equal(DistributionOutcomes.PartiallyFailed, distribution["outcome"]?.GetValue<string>());
        var targets = (await system.TargetsAsync(distributionId)).ToDictionary(t => t["vimId"]!.GetValue<string>());
        Assert.Equal(Healthy + 3, targets.Count);
        Assert.All(healthy, vim =>
        {
            Assert.Equal(TargetStates.Active, targets[system.VimIdOf(vim)]["state"]!.GetValue<string>());
            Assert.Equal(1, system.Simulator.UploadsTo(vim));
            Assert.Equal(image.Sha512, Assert.Single(system.Simulator.ImagesOf(vim)).Sha512);
        });

        // Each in the words of what happened: the stall for the VIM that never answered, the status for the 500 (its text
        // page is not Glance's error document, so it is not shown), the broken connection for the reset (as the socket saw
        // it); and the attempts spent.
        var errors = new Dictionary<string, string>();
        foreach (var (vim, said) in new[]
        {
            ("hangs", $"no progress for {FaultSystemFixture.StallTimeout.TotalSeconds:0} s"),
            ("answers-500", "Glance refused to list its images: 500 Internal Server Error ("),
            ("resets", "(Unable to read data from the transport connection: Connection reset by peer.)"),
        })
        {
            var target = targets[system.VimIdOf(vim)];
            var error = target["lastError"]?.GetValue<string>() ?? "";
            errors[vim] = error;
            Assert.Equal(TargetStates.Failed, target["state"]!.GetValue<string>());
            Assert.Equal(FaultSystemFixture.Attempts, target["attempt"]!.GetValue<int>());
            Assert.Contains(said, error, StringComparison.Ordinal);
            Assert.EndsWith($"(gave up after {FaultSystemFixture.Attempts} attempts)", error, StringComparison.Ordinal);
            Assert.Equal(0, system.Simulator.UploadsTo(vim));
        }

        await system.WaitUntilBusIdleAsync();
        var completed = Assert.Single(FaultSystemFixture.CompletionsOf(distributionId));
        Assert.Equal((Healthy, 3), (completed.ActiveCount, completed.FailedCount));

        output.WriteLine($"{Healthy} healthy VIMs and 3 failing; completed after {took.TotalSeconds:0.0} s; 1 DistributionCompleted ({completed.Outcome}).");
        foreach (var (vim, error) in errors)
        {
            output.WriteLine($"  {vim}: {error.ReplaceLineEndings(" ")}");
        }
    }
}
