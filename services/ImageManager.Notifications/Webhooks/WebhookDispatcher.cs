using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// Sends what is due: takes due deliveries of active subscriptions from the database (<c>FOR UPDATE SKIP LOCKED</c>, so
/// replicas share them), sends up to <see cref="WebhookOptions.Concurrency"/> at once, and records each attempt: delivered,
/// retried later with backoff, or given up after <see cref="WebhookOptions.MaxAttempts"/>; a subscription whose attempts
/// keep failing is suspended. A slow subscriber holds one slot per delivery in flight, not the others.
/// </summary>
public sealed partial class WebhookDispatcher(
    IDbContextFactory<NotificationsDbContext> databases,
    WebhookSender sender,
    SubscriptionSecretProtector secrets,
    DeliverySignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    static readonly TimeSpan CleanUpEvery = TimeSpan.FromMinutes(10);

    /// <summary>The room of a delivery's last error and of a subscription's suspension reason.</summary>
    const int MaxErrorLength = 2000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        var inFlight = new List<Task>();
        var nextCleanUp = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() >= nextCleanUp)
                {
                    await CleanUpAsync(stoppingToken);
                    nextCleanUp = clock.GetUtcNow() + CleanUpEvery;
                }

                inFlight.RemoveAll(task => task.IsCompleted);
                var free = slots.CurrentCount;
                var claimed = free == 0 ? [] : await ClaimAsync(free, stoppingToken);
                foreach (var delivery in claimed)
                {
                    await slots.WaitAsync(stoppingToken);
                    inFlight.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await DeliverAsync(delivery, stoppingToken);
                        }
                        finally
                        {
                            slots.Release();
                            signal.Notify();
                        }
                    }, CancellationToken.None));
                }

                if (claimed.Count < free || free == 0)
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogDispatchFailed(logger, e);
                await Task.Delay(settings.PollInterval, clock, CancellationToken.None);
            }
        }

        // An attempt cut short by the stop is taken again after its lease, by this replica or another.
        await Task.WhenAll(inFlight);
    }

    async Task<List<ClaimedDelivery>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Held past the longest attempt, so that no one else sends it meanwhile; if this replica dies, it is due again then.
        var leaseUntil = now + options.Value.DeliveryTimeout + TimeSpan.FromSeconds(30);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Database.SqlQuery<ClaimedDelivery>($"""
            UPDATE deliveries AS d SET next_attempt_at = {leaseUntil}
            FROM (SELECT d2.id FROM deliveries AS d2 JOIN subscriptions AS s ON s.id = d2.subscription_id
                  WHERE d2.state = 'pending' AND d2.next_attempt_at <= {now} AND s.state = 'active'
                  ORDER BY d2.next_attempt_at LIMIT {limit}
                  FOR UPDATE OF d2 SKIP LOCKED) AS due
            WHERE d.id = due.id
            RETURNING d.id AS "Id", d.subscription_id AS "SubscriptionId", d.event_id AS "EventId", d.attempts AS "Attempts"
            """).ToListAsync(cancellationToken);
    }

    async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var subscription = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Id == delivery.SubscriptionId)
                .Select(s => new { s.Url, s.ProtectedSecret })
                .SingleOrDefaultAsync(cancellationToken);
            var body = await db.Events.Where(e => e.Id == delivery.EventId).Select(e => e.Body).SingleOrDefaultAsync(cancellationToken);
            if (subscription is null || body is null)
            {
                return; // deleted meanwhile, with its deliveries
            }

            var attempt = delivery.Attempts + 1;
            var outcome = await sender.SendAsync(subscription.Url, secrets.Unprotect(subscription.ProtectedSecret), delivery.Id, attempt, body, cancellationToken);
            await RecordAsync(db, delivery, attempt, outcome);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the lease runs out and the delivery is tried again.
        }
        catch (Exception e)
        {
            LogDeliveryFailed(logger, delivery.Id, e);
        }
    }

    async Task RecordAsync(NotificationsDbContext db, ClaimedDelivery delivery, int attempt, DeliveryOutcome outcome)
    {
        // Recorded whatever the stop says: the subscriber has the event (or not) now.
        var cancellationToken = CancellationToken.None;
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var deliveries = db.Deliveries.Where(d => d.Id == delivery.Id);
        var subscription = db.Subscriptions.Where(s => s.Id == delivery.SubscriptionId);
        if (outcome.Delivered)
        {
            await deliveries.ExecuteUpdateAsync(set => set
                .SetProperty(d => d.State, DeliveryStates.Delivered)
                .SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.LastStatus, outcome.Status)
                .SetProperty(d => d.LastError, (string?)null)
                .SetProperty(d => d.LastAttemptAt, now)
                .SetProperty(d => d.DeliveredAt, now), cancellationToken);
            await subscription.Where(s => s.ConsecutiveFailures != 0).ExecuteUpdateAsync(set => set.SetProperty(s => s.ConsecutiveFailures, 0), cancellationToken);
            return;
        }

        var givenUp = attempt >= settings.MaxAttempts;
        var error = OutsideText.Sanitise(outcome.Error ?? "", MaxErrorLength); // the sender's reason is safe; this write must not depend on it
        var next = now + RetryDelay.After(attempt, settings);
        await deliveries.ExecuteUpdateAsync(set => set
            .SetProperty(d => d.State, givenUp ? DeliveryStates.Failed : DeliveryStates.Pending)
            .SetProperty(d => d.Attempts, attempt)
            .SetProperty(d => d.LastStatus, outcome.Status)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.NextAttemptAt, next), cancellationToken);
        if (givenUp)
        {
            LogGivenUp(logger, delivery.Id, attempt, error);
        }
        else
        {
            LogAttemptFailed(logger, delivery.Id, attempt, settings.MaxAttempts, error, next);
        }

        await subscription.ExecuteUpdateAsync(set => set.SetProperty(s => s.ConsecutiveFailures, s => s.ConsecutiveFailures + 1), cancellationToken);
        var reason = OutsideText.Sanitise($"{settings.SuspendAfterFailures} failed attempts in a row; the last: {error}", MaxErrorLength);
        var suspended = await subscription
            .Where(s => s.State == SubscriptionStates.Active && s.ConsecutiveFailures >= settings.SuspendAfterFailures)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.State, SubscriptionStates.Suspended)
                .SetProperty(s => s.SuspendedAt, now)
                .SetProperty(s => s.SuspendedReason, reason)
                .SetProperty(s => s.UpdatedAt, now), cancellationToken);
        if (suspended > 0)
        {
            LogSuspended(logger, delivery.SubscriptionId, settings.SuspendAfterFailures);
        }
    }

    /// <summary>Events past their retention go, and their deliveries with them, sent or not.</summary>
    async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - options.Value.Retention;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Events.Where(e => e.RecordedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for due webhook deliveries failed; trying again")]
    static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} could not be attempted; it is tried again when its lease ends")]
    static partial void LogDeliveryFailed(ILogger logger, Guid deliveryId, Exception exception);

    /// <summary>One line per failed attempt, no stack trace: a subscriber that keeps failing must not flood the log.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} attempt {Attempt} of {MaxAttempts} failed, next at {NextAttemptAt}: {Error}")]
    static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, int attempt, int maxAttempts, string error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} failed at attempt {Attempt}, the last; given up: {Error}")]
    static partial void LogGivenUp(ILogger logger, Guid deliveryId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} suspended after {Failures} failed attempts in a row")]
    static partial void LogSuspended(ILogger logger, Guid subscriptionId, int failures);
}
