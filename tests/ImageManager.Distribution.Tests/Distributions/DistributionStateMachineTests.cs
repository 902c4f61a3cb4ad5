using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Distributions;

/// <summary>The distribution saga's logic on the in-memory test harness: uploads out, one outcome recorded.</summary>
public sealed class DistributionStateMachineTests : IAsyncLifetime
{
    readonly ServiceProvider _provider = new ServiceCollection()
        .AddSingleton(TimeProvider.System)
        .AddMassTransitTestHarness(x => x.AddSagaStateMachine<DistributionStateMachine, DistributionState>())
        .BuildServiceProvider(true);

    ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();
    ISagaStateMachineTestHarness<DistributionStateMachine, DistributionState> Saga =>
        Harness.GetSagaStateMachineHarness<DistributionStateMachine, DistributionState>();

    public Task InitializeAsync() => Harness.Start();

    public async Task DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task When_the_targets_are_finished_the_outcome_is_recorded_with_the_counts_and_its_publication_asked_for()
    {
        var id = await Request("a", "b", "c");

        await Finish(id, active: 2, failed: 1);
        await Finish(id, active: 2, failed: 1); // a second report of the same end changes nothing, but asks again

        Assert.NotNull(await Saga.Exists(id, machine => machine.Completed));
        var saga = Saga.Sagas.Contains(id)!;
        Assert.Equal((DistributionOutcomes.PartiallyFailed, 3, 2, 1), (saga.Outcome, saga.TargetCount, saga.ActiveCount, saga.FailedCount));
        Assert.True(await Harness.Published.Any<DistributionCompletionRecorded>(x => x.Context.Message.DistributionId == id));
        Assert.False(await Harness.Published.Any<DistributionCompleted>(), "the saga itself publishes no completion: its row is the outbox");
    }

    [Theory]
    [InlineData(3, 0, 0, 0, DistributionOutcomes.Succeeded)]
    [InlineData(1, 0, 2, 0, DistributionOutcomes.Succeeded)]
    [InlineData(0, 3, 0, 0, DistributionOutcomes.Failed)]
    [InlineData(0, 0, 0, 3, DistributionOutcomes.Cancelled)]
    [InlineData(1, 1, 0, 1, DistributionOutcomes.PartiallyFailed)]
    public async Task When_every_target_has_finished_the_outcome_is_named_from_the_final_counts(int active, int failed, int skipped, int cancelled, string outcome)
    {
        var id = await Request("a", "b", "c");

        await Finish(id, active, failed, skipped, cancelled);

        Assert.NotNull(await Saga.Exists(id, machine => machine.Completed));
        Assert.Equal(outcome, Saga.Sagas.Contains(id)!.Outcome);
    }

    [Fact]
    public async Task When_a_removal_is_requested_it_is_a_distribution_of_kind_removal_with_one_command_per_vim()
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new RemoveImageFromVims
        {
            RemovalId = id,
            ImageId = Guid.NewGuid(),
            Targets = [new VimImageReference { VimId = "a", VimImageId = "x" }, new VimImageReference { VimId = "b", VimImageId = "y" }, new VimImageReference { VimId = "a" }],
            RequestedAt = DateTimeOffset.UtcNow,
            KeepImage = true, // a purge (withdrawing the image, looking up its copies) needs the database: end to end
        });
        Assert.NotNull(await Saga.Exists(id, machine => machine.Distributing));

        await Harness.Bus.Publish(new DistributionTargetsFinished
        {
            DistributionId = id,
            TargetCount = 2,
            ActiveCount = 0,
            FailedCount = 0,
            SkippedCount = 0,
            CancelledCount = 0,
            RemovedCount = 2,
            FinishedAt = DateTimeOffset.UtcNow,
        });

        Assert.NotNull(await Saga.Exists(id, machine => machine.Completed));
        // Which copies go is the removal consumer's decision, from Distribution's own records, not from what the request believed.
        Assert.Equal(["a", "b"], Harness.Sent.Select<RemoveImageFromVim>(x => x.Context.Message.RemovalId == id).Select(x => x.Context.Message.VimId).Order());
        var saga = Saga.Sagas.Contains(id)!;
        Assert.Equal((DistributionKinds.Removal, DistributionOutcomes.Succeeded, 2), (saga.Kind, saga.Outcome, saga.RemovedCount));
        Assert.True(await Harness.Published.Any<DistributionCompletionRecorded>(x => x.Context.Message.DistributionId == id));
    }

    /// <summary>
    /// A removal that keeps its image, under way: the one kind of distribution this machine starts itself (a distribution
    /// is written by its creation, on the database: see <c>DistributionCreationTests</c>); its outcome is named alike.
    /// </summary>
    async Task<Guid> Request(params string[] vimIds)
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new RemoveImageFromVims
        {
            RemovalId = id,
            ImageId = Guid.NewGuid(),
            Targets = [.. vimIds.Select(vimId => new VimImageReference { VimId = vimId })],
            RequestedAt = DateTimeOffset.UtcNow,
            KeepImage = true,
        });
        Assert.NotNull(await Saga.Exists(id, machine => machine.Distributing));
        return id;
    }

    async Task Finish(Guid id, int active = 0, int failed = 0, int skipped = 0, int cancelled = 0)
    {
        var finished = new DistributionTargetsFinished
        {
            DistributionId = id,
            TargetCount = active + failed + skipped + cancelled,
            ActiveCount = active,
            FailedCount = failed,
            SkippedCount = skipped,
            CancelledCount = cancelled,
            FinishedAt = DateTimeOffset.UtcNow,
        };
        await Harness.Bus.Publish(finished);
        Assert.True(await Harness.Consumed.Any<DistributionTargetsFinished>(x => x.Context.Message == finished));
    }
}
