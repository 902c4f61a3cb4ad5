using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Consumers;
using MassTransit;

namespace ImageManager.Distribution.StateMachines;

/// <summary>
/// A distribution: sends one <see cref="UploadImageToVim"/> per target, follows every target through
/// <see cref="VimImageStateChanged"/>, and publishes <see cref="DistributionCompleted"/> exactly once, when the
/// last target reaches a final state.
/// </summary>
public sealed class DistributionStateMachine : MassTransitStateMachine<DistributionState>
{
    public DistributionStateMachine(TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);
        Event(() => Requested, e => e.CorrelateById(m => m.Message.DistributionId));
        Event(() => TargetChanged, e =>
        {
            e.CorrelateById(m => m.Message.DistributionId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(Requested)
                .Then(context => Start(context.Saga, context.Message, clock.GetUtcNow()))
                .ThenAsync(SendUploads)
                .TransitionTo(Distributing)
                .If(context => context.Saga.TargetCount == 0, nothing => nothing
                    .Then(context => Finish(context.Saga, clock.GetUtcNow()))
                    .Publish(context => Completion(context.Saga))
                    .TransitionTo(Completed)));

        During(Distributing,
            When(TargetChanged)
                .If(context => Apply(context.Saga, context.Message, clock.GetUtcNow()), changed => changed
                    .If(context => AllFinal(context.Saga), done => done
                        .Then(context => Finish(context.Saga, clock.GetUtcNow()))
                        .Publish(context => Completion(context.Saga))
                        .TransitionTo(Completed))));

        // A repeated request or a late target event changes nothing: one completion per distribution.
        During(Distributing, Completed, Ignore(Requested));
        During(Completed, Ignore(TargetChanged));
    }

    public State Distributing { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public Event<DistributeRequested> Requested { get; private set; } = null!;
    public Event<VimImageStateChanged> TargetChanged { get; private set; } = null!;

    static void Start(DistributionState saga, DistributeRequested request, DateTimeOffset now)
    {
        saga.ImageId = request.ImageId;
        saga.RequestedAt = request.RequestedAt;
        saga.UpdatedAt = now;
        saga.Targets = request.VimIds.Distinct(StringComparer.Ordinal).Select(vimId => new DistributionTarget
        {
            DistributionId = saga.CorrelationId,
            VimId = vimId,
            State = TargetStates.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        saga.TargetCount = saga.Targets.Count;
    }

    static async Task SendUploads(BehaviorContext<DistributionState, DistributeRequested> context)
    {
        var endpoint = await context.GetSendEndpoint(UploadImageToVimConsumerDefinition.Address);
        foreach (var target in context.Saga.Targets)
        {
            await endpoint.Send(new UploadImageToVim
            {
                DistributionId = context.Saga.CorrelationId,
                ImageId = context.Saga.ImageId,
                VimId = target.VimId,
            }, context.CancellationToken);
        }
    }

    /// <summary>
    /// Applies a target event unless it is stale: events of one target can arrive out of order, so an event counts
    /// only if it is later (by attempt, then by step) than what the target already shows. A final state is final.
    /// </summary>
    static bool Apply(DistributionState saga, VimImageStateChanged change, DateTimeOffset now)
    {
        var target = saga.Targets.FirstOrDefault(t => t.VimId == change.VimId);
        if (target is null || TargetStates.IsFinal(target.State) || Order(change.Attempt, change.State) <= Order(target.Attempt, target.State))
        {
            return false;
        }

        target.State = change.State;
        target.Attempt = change.Attempt;
        target.LastError = change.Error ?? target.LastError;
        target.VimImageId = change.VimImageId ?? target.VimImageId;
        target.BytesSent = Math.Max(target.BytesSent, change.BytesSent);
        target.UpdatedAt = now;

        switch (change.State)
        {
            case TargetStates.Active: saga.ActiveCount++; break;
            case TargetStates.Failed: saga.FailedCount++; break;
            case TargetStates.Skipped: saga.SkippedCount++; break;
            case TargetStates.Cancelled: saga.CancelledCount++; break;
        }

        // Touching the distribution row on every change is what makes concurrent target events conflict on xmin.
        saga.UpdatedAt = now;
        return true;
    }

    static int Order(int attempt, string state) => (attempt * 10) + state switch
    {
        TargetStates.Uploading => 1,
        TargetStates.Verifying => 2,
        TargetStates.Pending => 3,
        _ => 4,
    };

    static bool AllFinal(DistributionState saga) =>
        saga.ActiveCount + saga.FailedCount + saga.SkippedCount + saga.CancelledCount >= saga.TargetCount;

    static void Finish(DistributionState saga, DateTimeOffset now)
    {
        saga.CompletedAt = now;
        saga.UpdatedAt = now;
        saga.Outcome =
            saga.ActiveCount + saga.SkippedCount == saga.TargetCount ? DistributionOutcomes.Succeeded
            : saga.CancelledCount > 0 && saga.FailedCount == 0 ? DistributionOutcomes.Cancelled
            : saga.FailedCount + saga.CancelledCount == saga.TargetCount ? DistributionOutcomes.Failed
            : DistributionOutcomes.PartiallyFailed;
    }

    static DistributionCompleted Completion(DistributionState saga) => new()
    {
        DistributionId = saga.CorrelationId,
        ImageId = saga.ImageId,
        Outcome = saga.Outcome!,
        TargetCount = saga.TargetCount,
        ActiveCount = saga.ActiveCount,
        FailedCount = saga.FailedCount,
        SkippedCount = saga.SkippedCount,
        CompletedAt = saga.CompletedAt!.Value,
    };
}
