using ImageManager.Distribution.Tests.Persistence;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Reconciliation;

/// <summary>Passes take a batch each and go on where the previous one stopped (a database of their own: the cursor is global).</summary>
public sealed class ReconciliationBatchTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    readonly ReconciliationRig _rig = new(database, batchSize: 2);

    public Task InitializeAsync() => _rig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task When_reconciliation_runs_each_pass_checks_a_batch_resumes_after_the_last_pair_and_starts_over_after_the_end()
    {
        // Five pairs on VIMs that do not answer: every pair comes back unchecked, so each report names its batch.
        var (image, _) = await _rig.AddImageAsync();
        var vims = new[] { "b0", "b1", "b2", "b3", "b4" };
        foreach (var vim in vims)
        {
            await _rig.AddVimAsync(vim);
            _rig.Simulator.Configure(vim, new SimulatedVimBehaviour { FailWith = Fault.ResetConnection });
            await _rig.RecordAsync(image, vim, Contracts.Distributions.TargetStates.Active, Guid.NewGuid().ToString());
        }

        var passes = new List<(string[] Vims, bool ReachedEnd)>();
        for (var pass = 0; pass < 4; pass++)
        {
            var report = await _rig.RunAsync();
            Assert.Equal((0, report.Pairs), (report.Intact + report.Drifted.Count, report.Unchecked.Count));
            passes.Add(([.. report.Unchecked.Select(p => p.VimId)], report.ReachedEnd));
        }

        Assert.Equal(["b0", "b1"], passes[0].Vims);
        Assert.Equal(["b2", "b3"], passes[1].Vims);
        Assert.Equal(["b4"], passes[2].Vims);
        Assert.Equal(["b0", "b1"], passes[3].Vims);
        Assert.Equal([false, false, true, false], passes.Select(p => p.ReachedEnd));
    }
}
