using System.Net;
using System.Security.Cryptography;
using System.Text;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>
/// The rules of delivery kept when outcomes are recorded in groups and secrets are decrypted once: retries and give-up,
/// failures in a row counted exactly across groups and suspension at the limit, and a changed secret used at once.
/// </summary>
public sealed class WebhookDispatcherOutcomeTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_a_subscriber_keeps_failing_each_delivery_is_given_up_at_the_last_attempt_and_the_subscription_suspended_at_the_limit()
    {
        await using var service = await WebhookDispatchService.StartAsync(options =>
        {
            (options.FirstRetryDelay, options.MaxRetryDelay, options.PollInterval) = (TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50));
            (options.MaxAttempts, options.SuspendAfterFailures) = (3, 10);
        });
        using var subscriber = new WebhookSubscriber { Answer = _ => (HttpStatusCode.ServiceUnavailable, TimeSpan.Zero) };
        var subscription = await service.SubscribeAsync(subscriber, "failing-secret-0123456789");
        await service.RecordEventsAsync(2, "first", subscription);
        await service.StartDispatchersAsync();

        // Two deliveries, three attempts each: six failures in a row, under the limit.
        await Eventually.Get(() => DeliveriesAsync(service), ds => ds.All(d => d.State == DeliveryStates.Failed), Patience, "both deliveries given up");
        var givenUp = await DeliveriesAsync(service);
        Assert.All(givenUp, d => Assert.Equal((3, 503), (d.Attempts, d.LastStatus)));
        Assert.All(givenUp, d => Assert.StartsWith("The subscriber answered 503", d.LastError));
        Assert.Equal((SubscriptionStates.Active, 6), await StateAsync(service, subscription));

        await service.RecordEventsAsync(5, "then", subscription);
        await Eventually.Get(() => StateAsync(service, subscription), s => s.State == SubscriptionStates.Suspended, Patience, "the subscription suspended");
        await service.StopDispatchersAsync();

        // Every failed attempt counted once, whichever group recorded it; none sent after the suspension was recorded.
        var (_, failures) = await StateAsync(service, subscription);
        Assert.Equal(subscriber.Received.Count, failures);
        Assert.InRange(failures, 10, 10 + 4 - 1); // the limit, and at most the attempts in flight (Concurrency 4) beyond it
        await using var db = service.Database();
        var suspended = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscription);
        Assert.StartsWith("10 failed attempts in a row; the last: The subscriber answered 503", suspended.SuspendedReason);
        Assert.NotNull(suspended.SuspendedAt);
        Assert.Equal(failures, await db.Deliveries.SumAsync(d => d.Attempts));
    }

    [Fact]
    public async Task When_a_delivery_succeeds_after_failures_it_is_delivered_and_the_failures_in_a_row_start_again()
    {
        await using var service = await WebhookDispatchService.StartAsync(options =>
            (options.FirstRetryDelay, options.MaxRetryDelay, options.PollInterval) = (TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50)));
        using var subscriber = new WebhookSubscriber();
        subscriber.Answer = d => d.Attempt <= 2 ? (HttpStatusCode.InternalServerError, TimeSpan.Zero) : (HttpStatusCode.NoContent, TimeSpan.Zero);
        var subscription = await service.SubscribeAsync(subscriber, "flaky-secret-0123456789");
        await service.RecordEventsAsync(3, "flaky", subscription);

        await service.StartDispatchersAsync();

        await Eventually.Get(() => DeliveriesAsync(service), ds => ds.All(d => d.State == DeliveryStates.Delivered), Patience, "every delivery delivered");
        await service.StopDispatchersAsync();
        Assert.All(await DeliveriesAsync(service), d => Assert.Equal((3, 204, (string?)null), (d.Attempts, d.LastStatus, d.LastError)));
        Assert.Equal(9, subscriber.Received.Count);
        Assert.Equal((SubscriptionStates.Active, 0), await StateAsync(service, subscription));
    }

    [Fact]
    public async Task When_the_intake_holds_a_new_delivery_of_a_subscription_uncommitted_an_outcome_of_that_subscription_is_still_recorded()
    {
        await using var service = await WebhookDispatchService.StartAsync();
        using var subscriber = new WebhookSubscriber();
        var subscription = await service.SubscribeAsync(subscriber, "held-secret-0123456789");
        await service.RecordEventsAsync(1, "sent", subscription);
        await using var db = service.Database();
        var sent = await db.Deliveries.AsNoTracking().SingleAsync(d => d.SubscriptionId == subscription);

        // As the intake records: the event and a delivery inserted in a transaction still open. The delivery's foreign key
        // holds the subscription's row FOR KEY SHARE until the commit.
        await using var intake = service.Database();
        await using var transaction = await intake.Database.BeginTransactionAsync();
        WebhookDispatchService.AddEvent(intake, "arriving", subscription);
        await intake.SaveChangesAsync();
        var outcomes = service.OutcomeRecorder();
        var running = outcomes.RunAsync();
        var claimed = new ClaimedDelivery { Id = sent.Id, SubscriptionId = subscription, EventId = sent.EventId, Url = subscriber.Url.ToString(), ProtectedSecret = "", Body = [] };

        // A bound against a hang only: locked FOR UPDATE, the outcome would wait for the intake's commit.
        await outcomes.RecordAsync(claimed, attempt: 1, new DeliveryOutcome(false, 503, "The subscriber answered 503")).WaitAsync(Patience);
        await transaction.RollbackAsync();
        outcomes.Complete();
        await running;

        var recorded = await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == sent.Id);
        Assert.Equal((DeliveryStates.Pending, 1, (int?)503), (recorded.State, recorded.Attempts, recorded.LastStatus));
        Assert.Equal((SubscriptionStates.Active, 1), await StateAsync(service, subscription));
    }

    [Fact]
    public async Task When_a_secret_is_changed_the_next_delivery_is_signed_with_the_new_one()
    {
        await using var service = await WebhookDispatchService.StartAsync();
        using var subscriber = new WebhookSubscriber();
        var subscription = await service.SubscribeAsync(subscriber, "the-first-secret-0123");
        await service.RecordEventsAsync(1, "before", subscription);
        await service.StartDispatchersAsync();
        var first = (await subscriber.WaitForAsync(r => r.Count == 1, "the first delivery"))[0];

        await using (var db = service.Database())
        {
            // As PATCH stores a new secret: protected anew.
            var changed = service.Protect("the-second-secret-4567");
            await db.Subscriptions.Where(s => s.Id == subscription).ExecuteUpdateAsync(set => set.SetProperty(s => s.ProtectedSecret, changed));
        }

        await service.RecordEventsAsync(1, "after", subscription);
        var second = (await subscriber.WaitForAsync(r => r.Count == 2, "the second delivery"))[1];

        Assert.Equal("before-0", first.Subject);
        Assert.Equal(Signature("the-first-secret-0123", first.Body), first.Signature);
        Assert.Equal("after-0", second.Subject);
        Assert.Equal(Signature("the-second-secret-4567", second.Body), second.Signature);
    }

    [Fact]
    public async Task When_the_dispatcher_stops_mid_attempt_the_delivery_stays_pending_under_its_lease_and_nothing_is_recorded_for_it()
    {
        await using var service = await WebhookDispatchService.StartAsync(options => options.DeliveryTimeout = TimeSpan.FromSeconds(20));
        using var subscriber = new WebhookSubscriber { Answer = _ => (HttpStatusCode.OK, TimeSpan.FromSeconds(30)) };
        var subscription = await service.SubscribeAsync(subscriber, "stopped-secret-0123456789");
        await service.RecordEventsAsync(1, "cut", subscription);
        await service.StartDispatchersAsync();
        await subscriber.WaitForAsync(r => r.Count == 1, "the attempt under way");

        var stoppedAt = DateTimeOffset.UtcNow;
        await service.StopDispatchersAsync(); // as a replica that dies: the attempt's end is never recorded

        var delivery = Assert.Single(await DeliveriesAsync(service));
        Assert.Equal((DeliveryStates.Pending, 0, (DateTimeOffset?)null), (delivery.State, delivery.Attempts, delivery.LastAttemptAt));
        // Due again once the lease (the longest attempt and a margin) has run out, by this replica or another.
        Assert.InRange(delivery.NextAttemptAt, stoppedAt, stoppedAt + TimeSpan.FromSeconds(20 + 30));
        Assert.Equal((SubscriptionStates.Active, 0), await StateAsync(service, subscription));
    }

    static string Signature(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    static async Task<List<Delivery>> DeliveriesAsync(WebhookDispatchService service)
    {
        await using var db = service.Database();
        return await db.Deliveries.AsNoTracking().ToListAsync();
    }

    static async Task<(string State, int Failures)> StateAsync(WebhookDispatchService service, Guid subscription)
    {
        await using var db = service.Database();
        var s = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscription);
        return (s.State, s.ConsecutiveFailures);
    }
}
