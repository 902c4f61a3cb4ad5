using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Consumers;
using MassTransit;

namespace ImageManager.Distribution.StateMachines;

/// <summary>
/// A distribution: sends one <see cref="UploadImageToVim"/> per target, and publishes <see cref="DistributionCompleted"/>
/// exactly once, when <see cref="DistributionTargetsFinished"/> says every target is final. The targets' own progress
/// is recorded on their rows by <see cref="TargetProgressConsumer"/>, not here: the saga row is written twice, however
/// many targets there are.
/// </summary>
public sealed class DistributionStateMachine : MassTransitStateMachine<DistributionState>
{
    public DistributionStateMachine(TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);
        Event(() => Requested, e => e.CorrelateById(m => m.Message.DistributionId));
        Event(() => Finished, e =>
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
                    .Then(context => Finish(context.Saga, new DistributionTargetsFinished
                    {
                        DistributionId = context.Saga.CorrelationId,
                        TargetCount = 0,
                        ActiveCount = 0,
                        FailedCount = 0,
                        SkippedCount = 0,
                        CancelledCount = 0,
                        FinishedAt = clock.GetUtcNow(),
                    }))
                    .Publish(context => Completion(context.Saga))
                    .TransitionTo(Completed)));

        During(Distributing,
            When(Finished)
                .Then(context => Finish(context.Saga, context.Message))
                .Publish(context => Completion(context.Saga))
                .TransitionTo(Completed));

        // A repeated request or a second "finished" changes nothing: one completion per distribution.
        During(Distributing, Completed, Ignore(Requested));
        During(Completed, Ignore(Finished));
    }

    public State Distributing { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public Event<DistributeRequested> Requested { get; private set; } = null!;
    public Event<DistributionTargetsFinished> Finished { get; private set; } = null!;

    static void Start(DistributionState saga, DistributeRequested request, DateTimeOffset now)
    {
        saga.ImageId = request.ImageId;
        saga.RequestedAt = request.RequestedAt;
        saga.RetryOf = request.RetryOf;
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

    static void Finish(DistributionState saga, DistributionTargetsFinished finished)
    {
        saga.ActiveCount = finished.ActiveCount;
        saga.FailedCount = finished.FailedCount;
        saga.SkippedCount = finished.SkippedCount;
        saga.CancelledCount = finished.CancelledCount;
        saga.CompletedAt = finished.FinishedAt;
        saga.UpdatedAt = finished.FinishedAt;
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
