using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// Sends what is due: takes due deliveries of active subscriptions from the database (<c>FOR UPDATE SKIP LOCKED</c>, so
/// replicas share them), sends up to <see cref="WebhookOptions.Concurrency"/> at once, and records each attempt: delivered,
/// retried later with backoff, or given up after <see cref="WebhookOptions.MaxAttempts"/>; a subscription whose attempts
/// keep failing is suspended. A slow subscriber holds one slot per delivery in flight, not the others.
/// What a delivery costs the database is a fraction of a transaction: the claim brings each delivery's URL, protected
/// secret and body in the same statement, secrets are decrypted once per subscription (<see cref="DecryptedSecrets"/>),
/// claims are made for several free slots at once, and outcomes are recorded in groups (<see cref="DeliveryOutcomeRecorder"/>).
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

    /// <summary>
    /// While deliveries are in flight, a claim waits this long for half the slots to be free, so that one statement claims
    /// for several; never longer, so that slots held by a slow subscriber do not hold up the others.
    /// </summary>
    static readonly TimeSpan GatherFreeSlotsFor = TimeSpan.FromMilliseconds(20);

    readonly DecryptedSecrets _secrets = new(secrets);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var outcomes = new DeliveryOutcomeRecorder(databases, settings, clock, logger);
        var recording = outcomes.RunAsync();
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        var inFlight = new List<Task>();
        var nextCleanUp = clock.GetUtcNow();
        var lastClaim = DateTimeOffset.MinValue;
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
                var gathered = inFlight.Count == 0 || free >= Math.Max(1, settings.Concurrency / 2) || clock.GetUtcNow() - lastClaim >= GatherFreeSlotsFor;
                List<ClaimedDelivery> claimed = [];
                if (free > 0 && gathered)
                {
                    claimed = await ClaimAsync(free, stoppingToken);
                    lastClaim = clock.GetUtcNow();
                }

                foreach (var delivery in claimed)
                {
                    await slots.WaitAsync(stoppingToken);
                    inFlight.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await DeliverAsync(delivery, outcomes, stoppingToken);
                        }
                        finally
                        {
                            slots.Release();
                            signal.Notify();
                        }
                    }, CancellationToken.None));
                }

                if (free > 0 && !gathered)
                {
                    await signal.WaitAsync(GatherFreeSlotsFor, stoppingToken);
                }
                else if (claimed.Count < free || free == 0)
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

        // An attempt cut short by the stop is taken again after its lease, by this replica or another; those that ended are recorded.
        await Task.WhenAll(inFlight);
        outcomes.Complete();
        await recording;
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
                  FOR UPDATE OF d2 SKIP LOCKED) AS due, subscriptions AS s, events AS e
            WHERE d.id = due.id AND s.id = d.subscription_id AND e.id = d.event_id
            RETURNING d.id AS "Id", d.subscription_id AS "SubscriptionId", d.event_id AS "EventId", d.attempts AS "Attempts",
                s.url AS "Url", s.protected_secret AS "ProtectedSecret", e.body AS "Body"
            """).ToListAsync(cancellationToken);
    }

    async Task DeliverAsync(ClaimedDelivery delivery, DeliveryOutcomeRecorder outcomes, CancellationToken cancellationToken)
    {
        try
        {
            var attempt = delivery.Attempts + 1;
            var secret = _secrets.For(delivery.SubscriptionId, delivery.ProtectedSecret);
            var outcome = await sender.SendAsync(delivery.Url, secret, delivery.Id, attempt, delivery.Body, cancellationToken);
            await outcomes.RecordAsync(delivery, attempt, outcome);
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
}
