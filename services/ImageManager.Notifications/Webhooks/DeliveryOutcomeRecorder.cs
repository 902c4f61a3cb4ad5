using System.Threading.Channels;
using ImageManager.Notifications.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// The outcomes of attempts recorded together: whatever ends while one transaction runs goes into the next (at most
/// <see cref="MostPerTransaction"/>), as the intake records notifications, so that a delivery costs a fraction of a
/// transaction instead of two. Each outcome is what one attempt met, with the same rules as one at a time: delivered; or
/// failed and retried after <see cref="RetryDelay"/>, or given up at <see cref="WebhookOptions.MaxAttempts"/>; and each
/// subscription's failures in a row counted in order (<see cref="FailureStreak"/>), suspending it at
/// <see cref="WebhookOptions.SuspendAfterFailures"/>. An outcome is waited for until its transaction committed; a failed
/// transaction fails each of its outcomes, whose deliveries are then tried again when their lease ends.
/// </summary>
public sealed partial class DeliveryOutcomeRecorder(IDbContextFactory<NotificationsDbContext> databases, WebhookOptions settings, TimeProvider clock, ILogger logger)
{
    /// <summary>A bound for safety: a slot waits for its outcome's record, so a group is at most the attempts in flight.</summary>
    const int MostPerTransaction = 200;

    /// <summary>The room of a delivery's last error and of a subscription's suspension reason.</summary>
    const int MaxErrorLength = 2000;

    readonly Channel<(ClaimedDelivery Delivery, int Attempt, DeliveryOutcome Outcome, TaskCompletionSource Recorded)> _waiting =
        Channel.CreateUnbounded<(ClaimedDelivery, int, DeliveryOutcome, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Returns once the outcome of <paramref name="attempt"/> at <paramref name="delivery"/> is recorded.</summary>
    public Task RecordAsync(ClaimedDelivery delivery, int attempt, DeliveryOutcome outcome)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.Writer.TryWrite((delivery, attempt, outcome, recorded)))
        {
            recorded.SetException(new InvalidOperationException("The dispatcher has stopped recording outcomes."));
        }

        return recorded.Task;
    }

    /// <summary>No more outcomes will come: <see cref="RunAsync"/> ends once those handed in are recorded.</summary>
    public void Complete() => _waiting.Writer.TryComplete();

    /// <summary>Records what is handed in, a group at a time, until <see cref="Complete"/>; whatever the stop says, since each subscriber has its event (or not) now.</summary>
    public async Task RunAsync()
    {
        var group = new List<(ClaimedDelivery Delivery, int Attempt, DeliveryOutcome Outcome, TaskCompletionSource Recorded)>(MostPerTransaction);
        while (await _waiting.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (group.Count < MostPerTransaction && _waiting.Reader.TryRead(out var outcome))
            {
                group.Add(outcome);
            }

            try
            {
                await RecordTogetherAsync(group.Select(g => (g.Delivery, g.Attempt, g.Outcome)).ToList());
                group.ForEach(g => g.Recorded.TrySetResult());
            }
            catch (Exception e)
            {
                LogFailed(logger, group.Count, e);
                group.ForEach(g => g.Recorded.TrySetException(e));
            }

            group.Clear();
        }
    }

    async Task RecordTogetherAsync(IReadOnlyList<(ClaimedDelivery Delivery, int Attempt, DeliveryOutcome Outcome)> outcomes)
    {
        // Truncated to PostgreSQL's microseconds, so that the suspensions made by this group can be told by their time.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        var errors = outcomes.Select(o => o.Outcome.Delivered ? null : OutsideText.Sanitise(o.Outcome.Error ?? "", MaxErrorLength)).ToArray(); // the sender's reason is safe; this write must not depend on it
        var ids = outcomes.Select(o => o.Delivery.Id).ToArray();
        var states = outcomes.Select(o => o.Outcome.Delivered ? DeliveryStates.Delivered : o.Attempt >= settings.MaxAttempts ? DeliveryStates.Failed : DeliveryStates.Pending).ToArray();
        var attempts = outcomes.Select(o => o.Attempt).ToArray();
        var statuses = outcomes.Select(o => o.Outcome.Status).ToArray();
        var next = outcomes.Select(o => o.Outcome.Delivered ? (DateTimeOffset?)null : now + RetryDelay.After(o.Attempt, settings)).ToArray();
        var streaks = outcomes
            .Select((o, i) => (o.Delivery.SubscriptionId, Outcome: o.Outcome with { Error = errors[i] }))
            .GroupBy(o => o.SubscriptionId)
            .Select(g => (Subscription: g.Key, Streak: FailureStreak.Of(g.Select(o => o.Outcome))))
            .ToList();
        var subscriptions = streaks.Select(s => s.Subscription).ToArray();
        var resets = streaks.Select(s => s.Streak.Reset).ToArray();
        var leading = streaks.Select(s => s.Streak.Leading).ToArray();
        var trailing = streaks.Select(s => s.Streak.Trailing).ToArray();
        var longest = streaks.Select(s => s.Streak.LongestAfterReset).ToArray();
        var reasons = streaks.Select(s => OutsideText.Sanitise($"{settings.SuspendAfterFailures} failed attempts in a row; the last: {s.Streak.LastError}", MaxErrorLength)).ToArray();
        var limit = settings.SuspendAfterFailures;

        // One statement, so one round trip and one transaction for the whole group. A delivered attempt keeps its
        // next_attempt_at (the lease: it is not due again); a failed one is due after its retry delay. The subscriptions are
        // locked in the order of their ids, so that two replicas recording the same subscriptions wait for each other instead
        // of deadlocking; FOR NO KEY UPDATE, the lock the UPDATE below takes anyway, because FOR UPDATE would also wait for
        // the FOR KEY SHARE that the intake's uncommitted delivery INSERTs hold on their subscription through the foreign
        // key (and they for it): recording outcomes and recording new events would hold each other up. In SET, s.* is the
        // row as it was: the stored count of failures in a row, to which the group's failures before its first delivered
        // attempt add.
        await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
        var suspended = await db.Database.SqlQuery<Guid>($"""
            WITH recorded AS (
                UPDATE deliveries AS d SET state = o.state, attempts = o.attempts, last_status = o.status, last_error = o.error,
                    last_attempt_at = {now}, next_attempt_at = COALESCE(o.next, d.next_attempt_at),
                    delivered_at = CASE WHEN o.state = 'delivered' THEN {now} ELSE d.delivered_at END
                FROM unnest({ids}, {states}, {attempts}, {statuses}, {errors}, {next}) AS o(id, state, attempts, status, error, next)
                WHERE d.id = o.id),
            locked AS MATERIALIZED (SELECT id FROM subscriptions WHERE id = ANY({subscriptions}) ORDER BY id FOR NO KEY UPDATE),
            changed AS (
                UPDATE subscriptions AS s SET
                    consecutive_failures = CASE WHEN o.reset THEN o.after_reset ELSE s.consecutive_failures + o.after_reset END,
                    state = CASE WHEN s.state = 'active' AND (s.consecutive_failures + o.before_reset >= {limit} OR o.longest >= {limit}) THEN 'suspended' ELSE s.state END,
                    suspended_at = CASE WHEN s.state = 'active' AND (s.consecutive_failures + o.before_reset >= {limit} OR o.longest >= {limit}) THEN {now} ELSE s.suspended_at END,
                    suspended_reason = CASE WHEN s.state = 'active' AND (s.consecutive_failures + o.before_reset >= {limit} OR o.longest >= {limit}) THEN o.reason ELSE s.suspended_reason END,
                    updated_at = CASE WHEN s.state = 'active' AND (s.consecutive_failures + o.before_reset >= {limit} OR o.longest >= {limit}) THEN {now} ELSE s.updated_at END
                FROM unnest({subscriptions}, {resets}, {leading}, {trailing}, {longest}, {reasons}) AS o(id, reset, before_reset, after_reset, longest, reason)
                JOIN locked AS l ON l.id = o.id
                WHERE s.id = o.id AND (o.before_reset > 0 OR o.after_reset > 0 OR o.longest > 0 OR s.consecutive_failures <> 0)
                RETURNING s.id, s.state, s.suspended_at)
            SELECT id AS "Value" FROM changed WHERE state = 'suspended' AND suspended_at = {now}
            """).ToListAsync(CancellationToken.None);

        for (var i = 0; i < outcomes.Count; i++)
        {
            if (states[i] == DeliveryStates.Failed)
            {
                LogGivenUp(logger, ids[i], attempts[i], errors[i]!);
            }
            else if (states[i] == DeliveryStates.Pending)
            {
                LogAttemptFailed(logger, ids[i], attempts[i], settings.MaxAttempts, errors[i]!, next[i]!.Value);
            }
        }

        foreach (var subscription in suspended)
        {
            LogSuspended(logger, subscription, settings.SuspendAfterFailures);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recording {Count} webhook attempt outcomes together failed")]
    static partial void LogFailed(ILogger logger, int count, Exception exception);

    /// <summary>One line per failed attempt, no stack trace: a subscriber that keeps failing must not flood the log.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} attempt {Attempt} of {MaxAttempts} failed, next at {NextAttemptAt}: {Error}")]
    static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, int attempt, int maxAttempts, string error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} failed at attempt {Attempt}, the last; given up: {Error}")]
    static partial void LogGivenUp(ILogger logger, Guid deliveryId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} suspended after {Failures} failed attempts in a row")]
    static partial void LogSuspended(ILogger logger, Guid subscriptionId, int failures);
}
