using ImageManager.Contracts;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using ImageManager.ServiceDefaults;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// A distribution, or a removal, from start to outcome. A distribution is written with its targets by
/// <see cref="DistributionCreation"/> and started from its row by <see cref="DistributionStartRecordedConsumer"/>
/// (those waiting for a slot by <see cref="TargetDispatcher"/>); a removal resolves its targets and starts
/// them here. Either records its outcome once,
/// when <see cref="DistributionTargetsFinished"/> says every target is final; <see cref="DistributionCompleted"/> is
/// then published from the saved row (to the requester too, when it came as a request) by
/// <see cref="DistributionCompletionRecordedConsumer"/>. The targets' progress is recorded on their own rows by <see cref="TargetProgressConsumer"/>,
/// not here: the saga row is written a fixed number of times, however many targets there are.
/// </summary>
public sealed class DistributionStateMachine : MassTransitStateMachine<DistributionState>
{
    public DistributionStateMachine(TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);
        Event(() => RemovalRequested, e => e.CorrelateById(m => m.Message.RemovalId));
        Event(() => Finished, e =>
        {
            e.CorrelateById(m => m.Message.DistributionId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(RemovalRequested)
                .ThenAsync(async context =>
                {
                    DistributionDbContext Database() => context.GetServiceOrCreateInstance<DistributionDbContext>();
                    var now = clock.GetUtcNow();
                    if (!context.Message.KeepImage)
                    {
                        await ImageWithdrawal.WithdrawAsync(Database(), context, context.Message.ImageId,
                            $"Image {context.Message.ImageId} is being deleted from the catalogue (removal {context.Saga.CorrelationId}).", now, context.CancellationToken);
                    }

                    var vimIds = await TargetPlan.ResolveRemovalAsync(Database, context.Message, context.CancellationToken);
                    TargetPlan.StartRemoval(context.Saga, context.Message, vimIds, now);
                    context.Saga.StartPublishedAt = now; // started here, with the row
                    Remember(context.Saga, context);
                })
                .ThenAsync(SendRemovals)
                .ThenAsync(Announce)
                .TransitionTo(Distributing)
                .If(context => context.Saga.TargetCount == 0, nothing => nothing
                    .Then(context => Finish(context.Saga, NoTargets(context.Saga, clock.GetUtcNow())))
                    .ThenAsync(Complete)
                    .TransitionTo(Completed)));

        During(Distributing,
            When(Finished)
                .Then(context => Finish(context.Saga, context.Message))
                .ThenAsync(Complete)
                .TransitionTo(Completed));

        // A repeated removal changes nothing, nor does a second "finished": one completion per distribution.
        During(Distributing,
            Ignore(RemovalRequested));
        // Once completed, any repeat asks again for the completion to be published: it was saved with the row, but the
        // process may have died before asking. Published once: the row is marked when it goes out.
        During(Completed,
            When(RemovalRequested).ThenAsync(Complete),
            When(Finished).ThenAsync(Complete));
    }

    public State Distributing { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public Event<RemoveImageFromVims> RemovalRequested { get; private set; } = null!;
    public Event<DistributionTargetsFinished> Finished { get; private set; } = null!;

    static void Remember(DistributionState saga, ConsumeContext context)
    {
        saga.ResponseAddress = context.RequestId is null ? null : context.ResponseAddress;
        saga.RequestId = context.RequestId;
    }

    static async Task SendRemovals(BehaviorContext<DistributionState, RemoveImageFromVims> context)
    {
        var endpoint = await context.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.RemoveImageFromVim));
        foreach (var target in context.Saga.Targets)
        {
            await endpoint.Send(new RemoveImageFromVim
            {
                RemovalId = context.Saga.CorrelationId,
                ImageId = context.Saga.ImageId,
                VimId = target.VimId,
                VimImageId = target.VimImageId,
            }, context.CancellationToken);
        }
    }

    /// <summary>For subscribers: the distribution began, with its targets.</summary>
    static Task Announce(BehaviorContext<DistributionState> context) =>
        context.Publish(new DistributionStarted
        {
            DistributionId = context.Saga.CorrelationId,
            ImageId = context.Saga.ImageId,
            Kind = context.Saga.Kind,
            TargetCount = context.Saga.TargetCount,
            Tenant = context.Saga.Tenant,
            RetryOf = context.Saga.RetryOf,
            StartedAt = context.Saga.UpdatedAt,
        });

    static DistributionTargetsFinished NoTargets(DistributionState saga, DateTimeOffset now) => new()
    {
        DistributionId = saga.CorrelationId,
        TargetCount = 0,
        ActiveCount = 0,
        FailedCount = 0,
        SkippedCount = 0,
        CancelledCount = 0,
        FinishedAt = now,
    };

    static void Finish(DistributionState saga, DistributionTargetsFinished finished)
    {
        saga.ActiveCount = finished.ActiveCount;
        saga.FailedCount = finished.FailedCount;
        saga.SkippedCount = finished.SkippedCount;
        saga.CancelledCount = finished.CancelledCount;
        saga.RemovedCount = finished.RemovedCount;
        saga.ReleasedCount = finished.ReleasedCount;
        saga.CompletedAt = finished.FinishedAt;
        saga.UpdatedAt = finished.FinishedAt;
        var succeeded = saga.ActiveCount + saga.SkippedCount + saga.RemovedCount + saga.ReleasedCount + finished.DeactivatedCount;
        saga.Outcome =
            succeeded == saga.TargetCount ? DistributionOutcomes.Succeeded
            : saga.CancelledCount > 0 && saga.FailedCount == 0 ? DistributionOutcomes.Cancelled
            : succeeded == 0 ? DistributionOutcomes.Failed
            : DistributionOutcomes.PartiallyFailed;
    }

    /// <summary>
    /// The outcome is on the saga row, saved before this leaves (in-memory outbox); <see cref="DistributionCompletionRecordedConsumer"/>
    /// publishes <see cref="DistributionCompleted"/> from the row and marks it, so a crash between the two loses nothing.
    /// </summary>
    static Task Complete<TMessage>(BehaviorContext<DistributionState, TMessage> context)
        where TMessage : class =>
        context.Publish(new DistributionCompletionRecorded { DistributionId = context.Saga.CorrelationId });
}
