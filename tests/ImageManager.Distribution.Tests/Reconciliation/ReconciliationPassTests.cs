using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Reconciliation;

/// <summary>
/// A reconciliation pass on PostgreSQL and the VIM simulator: drift found, recorded and published (and repaired when
/// asked), intact images untouched, unreachable VIMs unchecked rather than drifted, and only each pair's latest target
/// taken into account. Each test looks at its own image (the pass's imageId scope), so the tests share a database.
/// </summary>
public sealed class ReconciliationPassTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    readonly ReconciliationRig _rig = new(database);

    public Task InitializeAsync() => _rig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task When_an_image_is_deleted_behind_our_back_it_is_drifted_published_and_repaired_while_intact_and_unreachable_ones_are_not()
    {
        var (image, bytes) = await _rig.AddImageAsync();
        var gone = await _rig.DistributedAsync(image, bytes, await _rig.AddVimAsync("sim_gone"));
        var kept = await _rig.DistributedAsync(image, bytes, await _rig.AddVimAsync("mc_kept", "onap-multicloud"));
        var dead = await _rig.DistributedAsync(image, bytes, await _rig.AddVimAsync("sim_dead"));
        using (var http = new HttpClient())
        {
            using var deleted = await http.DeleteAsync(new Uri(_rig.Simulator.EndpointOf("sim_gone"), $"v2/images/{gone.VimImageId}"));
            deleted.EnsureSuccessStatusCode();
        }

        _rig.Simulator.Configure("sim_dead", new SimulatedVimBehaviour { FailWith = Fault.Status(503) });

        var report = await _rig.RunAsync(repair: true, imageId: image.Id);

        Assert.Equal((3, 1), (report.Pairs, report.Intact));
        var drift = Assert.Single(report.Drifted);
        Assert.Equal(("sim_gone", gone.DistributionId), (drift.VimId, drift.DistributionId));
        Assert.Contains(gone.VimImageId!, drift.Problem, StringComparison.Ordinal);
        var notChecked = Assert.Single(report.Unchecked);
        Assert.Equal("sim_dead", notChecked.VimId);
        Assert.Contains("503", notChecked.Problem, StringComparison.Ordinal);

        var goneRow = await _rig.TargetAsync(gone);
        Assert.Equal((TargetStates.Drifted, drift.Problem), (goneRow.State, goneRow.LastError));
        Assert.Equal((TargetStates.Active, kept.UpdatedAt), ((await _rig.TargetAsync(kept)).State, (await _rig.TargetAsync(kept)).UpdatedAt));
        Assert.Equal((TargetStates.Active, dead.UpdatedAt), ((await _rig.TargetAsync(dead)).State, (await _rig.TargetAsync(dead)).UpdatedAt));

        Assert.True(await _rig.Harness.Published.Any<VimImageStateChanged>(x => x.Context.Message.State == TargetStates.Drifted && x.Context.Message.ImageId == image.Id));
        var published = Assert.Single(_rig.Harness.Published.Select<VimImageStateChanged>(x => x.Context.Message.ImageId == image.Id)).Context.Message;
        Assert.Equal((gone.DistributionId, "sim_gone", gone.VimImageId, drift.Problem), (published.DistributionId, published.VimId, published.VimImageId, published.Error));
        var repair = Assert.Single(_rig.Harness.Published.Select<DistributeRequested>(x => x.Context.Message.ImageId == image.Id)).Context.Message;
        Assert.Equal((drift.RepairDistributionId, "sim_gone"), ((Guid?)repair.DistributionId, Assert.Single(repair.VimIds)));
    }

    [Fact]
    public async Task When_the_vim_holds_other_bytes_under_our_image_the_pair_is_drifted_naming_both_hashes_and_the_distribution_stays_completed()
    {
        var (image, bytes) = await _rig.AddImageAsync();
        var vim = await _rig.AddVimAsync("sim_other_bytes");
        var (other, otherBytes) = await _rig.AddImageAsync();
        var target = await _rig.DistributedAsync(other, otherBytes, vim);
        target = await _rig.RecordAsync(image, vim.Id, TargetStates.Active, target.VimImageId);

        var report = await _rig.RunAsync(imageId: image.Id);

        var drift = Assert.Single(report.Drifted);
        Assert.Contains(image.Sha512, drift.Problem, StringComparison.Ordinal);
        Assert.Contains(other.Sha512, drift.Problem, StringComparison.Ordinal);
        Assert.Null(drift.RepairDistributionId);
        Assert.Empty(_rig.Harness.Published.Select<DistributeRequested>(x => x.Context.Message.ImageId == image.Id));

        // The drifted event reaches the target-progress consumer like any other; a final target it does not move, and
        // the completed distribution is not completed again.
        Assert.True(await _rig.Harness.Consumed.Any<VimImageStateChanged>(x => x.Context.Message.DistributionId == target.DistributionId));
        Assert.True(await _rig.Harness.Consumed.Any<DistributionTargetsFinished>(x => x.Context.Message.DistributionId == target.DistributionId));
        Assert.Equal(TargetStates.Drifted, (await _rig.TargetAsync(target)).State);
        Assert.Empty(_rig.Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == target.DistributionId));
    }

    [Fact]
    public async Task When_a_pair_has_several_targets_only_its_latest_is_judged()
    {
        var (image, bytes) = await _rig.AddImageAsync();
        var failedLast = await _rig.AddVimAsync("sim_failed_last");
        var repaired = await _rig.AddVimAsync("sim_repaired");
        var hour = TimeSpan.FromHours(1);
        await _rig.RecordAsync(image, failedLast.Id, TargetStates.Active, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow - hour);
        await _rig.RecordAsync(image, failedLast.Id, TargetStates.Failed, null);
        await _rig.RecordAsync(image, repaired.Id, TargetStates.Drifted, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow - hour);
        await _rig.DistributedAsync(image, bytes, repaired, TargetStates.Skipped);

        var report = await _rig.RunAsync(imageId: image.Id);

        // The active target behind the failed one names an image the VIM never had: asked, it would be drift.
        Assert.Equal((1, 1), (report.Pairs, report.Intact));
        Assert.Empty(report.Drifted);
    }
}
