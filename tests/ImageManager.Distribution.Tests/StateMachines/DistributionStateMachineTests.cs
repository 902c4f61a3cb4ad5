using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.StateMachines;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.StateMachines;

/// <summary>The distribution saga's logic on the in-memory test harness.</summary>
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
    public async Task Should_send_one_upload_per_distinct_vim()
    {
        var id = await Request("a", "b", "a");

        Assert.NotNull(await Saga.Exists(id, machine => machine.Distributing));
        Assert.True(await Harness.Sent.Any<UploadImageToVim>(x => x.Context.Message.DistributionId == id));
        var sent = Harness.Sent.Select<UploadImageToVim>(x => x.Context.Message.DistributionId == id).Select(x => x.Context.Message.VimId).Order();
        Assert.Equal(["a", "b"], sent);
    }

    [Fact]
    public async Task When_every_target_is_final_one_completion_is_published_with_the_counts()
    {
        var id = await Request("a", "b", "c");

        await Change(id, "a", TargetStates.Active, 1);
        await Change(id, "b", TargetStates.Failed, 2, error: "Glance refused");
        Assert.Null(Saga.Sagas.Contains(id)!.CompletedAt); // two of three targets are final: not done yet
        await Change(id, "c", TargetStates.Active, 1);
        await Change(id, "c", TargetStates.Active, 1); // a duplicate changes nothing

        Assert.NotNull(await Saga.Exists(id, machine => machine.Completed));
        var completed = Assert.Single(Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == id)).Context.Message;
        Assert.Equal(DistributionOutcomes.PartiallyFailed, completed.Outcome);
        Assert.Equal((3, 2, 1), (completed.TargetCount, completed.ActiveCount, completed.FailedCount));
    }

    [Fact]
    public async Task When_events_of_a_target_arrive_out_of_order_the_latest_step_wins()
    {
        var id = await Request("a", "b");

        await Change(id, "a", TargetStates.Verifying, 1);
        await Change(id, "a", TargetStates.Uploading, 1); // late
        await Change(id, "b", TargetStates.Pending, 1, error: "503 Service Unavailable");
        await Change(id, "b", TargetStates.Uploading, 2);
        await Change(id, "b", TargetStates.Pending, 1, error: "stale"); // from the first attempt

        var saga = Saga.Sagas.Contains(id)!;
        Assert.Equal(TargetStates.Verifying, saga.Targets.Single(t => t.VimId == "a").State);
        var b = saga.Targets.Single(t => t.VimId == "b");
        Assert.Equal((TargetStates.Uploading, 2, "503 Service Unavailable"), (b.State, b.Attempt, b.LastError));
    }

    [Fact]
    public async Task When_all_targets_fail_the_outcome_is_failed_and_a_final_target_stays_final()
    {
        var id = await Request("a");

        await Change(id, "a", TargetStates.Failed, 3, error: "gave up");
        await Change(id, "a", TargetStates.Active, 4);

        Assert.NotNull(await Saga.Exists(id, machine => machine.Completed));
        var completed = Assert.Single(Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == id)).Context.Message;
        Assert.Equal(DistributionOutcomes.Failed, completed.Outcome);
        Assert.Equal(TargetStates.Failed, Saga.Sagas.Contains(id)!.Targets.Single().State);
    }

    [Fact]
    public async Task When_the_same_request_arrives_twice_the_uploads_are_sent_once()
    {
        var id = await Request("a", "b");
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a", "b"], RequestedAt = DateTimeOffset.UtcNow });

        Assert.True(await Harness.Consumed.Any<DistributeRequested>(x => x.Context.Message.DistributionId == id && x.Context.Message.VimIds.Count == 2));
        Assert.Equal(2, Harness.Consumed.Select<DistributeRequested>(x => x.Context.Message.DistributionId == id).Count());
        Assert.Equal(2, Harness.Sent.Select<UploadImageToVim>(x => x.Context.Message.DistributionId == id).Count());
    }

    async Task<Guid> Request(params string[] vimIds)
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = vimIds, RequestedAt = DateTimeOffset.UtcNow });
        Assert.NotNull(await Saga.Exists(id, machine => machine.Distributing));
        return id;
    }

    async Task Change(Guid id, string vimId, string state, int attempt, string? error = null)
    {
        var change = new VimImageStateChanged
        {
            DistributionId = id,
            ImageId = Guid.Empty,
            VimId = vimId,
            State = state,
            Attempt = attempt,
            Error = error,
            ChangedAt = DateTimeOffset.UtcNow,
        };
        await Harness.Bus.Publish(change);
        Assert.True(await Harness.Consumed.Any<VimImageStateChanged>(x => x.Context.Message == change));
    }
}
