using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Webhooks;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Tests.Intake;

/// <summary>
/// The webhook intake against the real broker and database: a CloudEvent the Api publishes is recorded once, with a
/// pending delivery for each subscription that may see it and wants it, and acknowledged only then; what another broker
/// user publishes, or what is not a CloudEvent, is dropped and logged; the queue the earlier intake declared is taken over.
/// </summary>
public sealed class NotificationIntakeTests(IntakeService service) : IClassFixture<IntakeService>
{
    [Fact]
    public async Task When_the_queue_exists_as_the_earlier_intake_declared_it_the_intake_takes_it_over_and_is_ready()
    {
        Assert.Equal(HttpStatusCode.OK, await service.ReadinessAsync());
        var queues = await service.Broker.QueueDepthsAsync();
        Assert.Contains(NotificationIntakeConsumerDefinition.Queue, queues.Keys);
    }

    [Fact]
    public async Task When_a_cloud_event_is_handed_over_twice_it_is_recorded_once_with_a_delivery_per_interested_subscription()
    {
        var tenant = Unique("tenant");
        var wanting = await service.SubscribeAsync(tenant, allTenants: false, "org.onap.imagemanager.image.*");
        var everyTenant = await service.SubscribeAsync("operators", allTenants: true);
        var otherEvents = await service.SubscribeAsync(tenant, allTenants: false, "org.onap.imagemanager.distribution.*");
        var otherTenant = await service.SubscribeAsync(Unique("other"), allTenants: false);
        var id = Guid.NewGuid().ToString();
        var body = CloudEventBody.Of(id, CloudEventBody.Catalogued, tenant);

        await service.PublishAsync(body, CloudEventBody.RoutingKey(tenant));
        await service.PublishAsync(body, CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();

        await using var db = service.Database();
        var recorded = await db.Events.SingleAsync(e => e.Id == id);
        Assert.Equal(body, recorded.Body);
        Assert.Equal((CloudEventBody.Catalogued, tenant), (recorded.Type, recorded.Tenant));
        var mine = new[] { wanting, everyTenant, otherEvents, otherTenant };
        var deliveries = await db.Deliveries.Where(d => d.EventId == id && mine.Contains(d.SubscriptionId)).ToListAsync();
        Assert.Equal(new[] { wanting, everyTenant }.Order(), deliveries.Select(d => d.SubscriptionId).Order());
        Assert.All(deliveries, d => Assert.Equal(("an-image", CloudEventBody.Catalogued, DeliveryStates.Pending), (d.EventSubject, d.EventType, d.State)));
    }

    [Fact]
    public async Task When_a_batch_of_cloud_events_arrives_each_is_recorded_with_its_deliveries_and_its_bytes_as_they_stand_in_the_array()
    {
        var tenant = Unique("tenant");
        var subscription = await service.SubscribeAsync(tenant, allTenants: false, CloudEventBody.Catalogued);
        var events = Enumerable.Range(0, 5).Select(i => CloudEventBody.Of(Guid.NewGuid().ToString(), CloudEventBody.Catalogued, tenant, $"image-{i}")).ToArray();
        var ids = events.Select(IdOf).ToList();

        await service.PublishBatchAsync(CloudEventBody.Batch(events), CloudEventBody.Catalogued, CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();

        await using var db = service.Database();
        var recorded = await db.Events.Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id);
        Assert.Equal(events, ids.Select(id => recorded[id].Body));
        var deliveries = await db.Deliveries.Where(d => d.SubscriptionId == subscription).ToListAsync();
        Assert.Equal(ids.Order(), deliveries.Select(d => d.EventId).Order());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"image-{i}").Order(), deliveries.Select(d => d.EventSubject!).Order());
    }

    [Fact]
    public async Task When_a_batch_holds_elements_that_are_no_cloud_events_they_are_dropped_and_logged_and_the_others_recorded()
    {
        var tenant = Unique("tenant");
        await service.SubscribeAsync(tenant, allTenants: false, CloudEventBody.Catalogued);
        var first = CloudEventBody.Of(Guid.NewGuid().ToString(), CloudEventBody.Catalogued, tenant);
        var last = CloudEventBody.Of(Guid.NewGuid().ToString(), CloudEventBody.Catalogued, tenant);
        var tooLong = new string('x', 129);
        byte[][] bad = [.. new[] { "5", """{"type": "x"}""", $$"""{"id": "{{tooLong}}", "type": "x"}""", """[{"id": "nested", "type": "x"}]""", """{"id": 7, "type": "x"}""" }
            .Select(Encoding.UTF8.GetBytes)];

        await service.PublishBatchAsync(CloudEventBody.Batch([first, .. bad, last]), CloudEventBody.Catalogued, CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();

        await using var db = service.Database();
        var recorded = await db.Events.Where(e => e.Tenant == tenant).Select(e => e.Id).ToListAsync();
        Assert.Equal(new[] { IdOf(first), IdOf(last) }.Order(), recorded.Order());
        Assert.False(await db.Events.AnyAsync(e => e.Id == "nested" || e.Id == tooLong), "an element that is no CloudEvent was recorded");
        await Eventually.Get(() => Task.FromResult(service.Log()),
            log => log.Split($"Dropped an unreadable notification (routing key {CloudEventBody.RoutingKey(tenant)})").Length == bad.Length + 1,
            IntakeService.Patience, "each bad element dropped and logged");
        await ExpectNothingParkedAsync();
    }

    [Fact]
    public async Task When_a_batch_is_handed_over_twice_its_events_are_recorded_once()
    {
        var tenant = Unique("tenant");
        var subscription = await service.SubscribeAsync(tenant, allTenants: false, CloudEventBody.Catalogued);
        var events = Enumerable.Range(0, 3).Select(_ => CloudEventBody.Of(Guid.NewGuid().ToString(), CloudEventBody.Catalogued, tenant)).ToArray();
        var batch = CloudEventBody.Batch(events);

        await service.PublishBatchAsync(batch, CloudEventBody.Catalogued, CloudEventBody.RoutingKey(tenant));
        await service.PublishBatchAsync(batch, CloudEventBody.Catalogued, CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();

        await using var db = service.Database();
        var ids = events.Select(IdOf).ToList();
        Assert.Equal(3, await db.Events.CountAsync(e => ids.Contains(e.Id)));
        Assert.Equal(ids.Order(), (await db.Deliveries.Where(d => d.SubscriptionId == subscription).Select(d => d.EventId).ToListAsync()).Order());
    }

    [Fact]
    public async Task When_another_broker_user_publishes_a_notification_it_is_dropped_and_logged_and_ours_is_still_recorded()
    {
        var tenant = Unique("tenant");
        await service.SubscribeAsync(tenant, allTenants: false);
        var strangerName = $"stranger-{Guid.NewGuid():N}"[..20];
        var strangerUri = await service.Broker.AddUserAsync(strangerName);
        var strangers = Guid.NewGuid().ToString();
        var ours = Guid.NewGuid().ToString();

        await service.PublishAsync(CloudEventBody.Of(strangers, CloudEventBody.Catalogued, tenant), CloudEventBody.RoutingKey(tenant), strangerUri);
        await service.PublishAsync(CloudEventBody.Of(ours, CloudEventBody.Catalogued, tenant), CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();

        await using var db = service.Database();
        Assert.False(await db.Events.AnyAsync(e => e.Id == strangers), "the stranger's notification was recorded");
        Assert.True(await db.Events.AnyAsync(e => e.Id == ours), "ours was not recorded");
        await Eventually.Get(() => Task.FromResult(service.Log()),
            log => log.Contains($"from broker user {service.Broker.UserName(strangerName)}: Broker user", StringComparison.Ordinal),
            IntakeService.Patience, "the refusal in the log");
        await ExpectNothingParkedAsync();
    }

    [Fact]
    public async Task When_a_message_is_not_a_cloud_event_it_is_dropped_and_logged_and_the_next_is_recorded()
    {
        var tenant = Unique("tenant");
        await service.SubscribeAsync(tenant, allTenants: false);
        var good = Guid.NewGuid().ToString();
        string[] bad = ["not json at all", "[1, 2]", """{"id": 5, "type": "x"}""", """{"type": "x"}""", """{"id": "", "type": "x"}""", "null", ""];

        foreach (var body in bad)
        {
            await service.PublishAsync(Encoding.UTF8.GetBytes(body), CloudEventBody.RoutingKey(tenant));
        }

        await service.PublishAsync(CloudEventBody.Of(good, CloudEventBody.Catalogued, tenant), CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();

        await using var db = service.Database();
        Assert.True(await db.Events.AnyAsync(e => e.Id == good), "the CloudEvent after them was not recorded");
        var log = service.Log();
        Assert.Contains("Dropped an unreadable notification (routing key IMAGE-LIFECYCLE.", log, StringComparison.Ordinal);
        Assert.Contains("R-FAULT", log, StringComparison.Ordinal);
        await ExpectNothingParkedAsync();
    }

    [Fact]
    public async Task When_recording_fails_the_notification_stays_unacknowledged_and_is_recorded_once_the_database_takes_it()
    {
        var tenant = Unique("tenant");
        var subscription = await service.SubscribeAsync(tenant, allTenants: false);
        var id = Guid.NewGuid().ToString();
        await using (var db = service.Database())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE events RENAME TO events_away");
        }

        try
        {
            await service.PublishAsync(CloudEventBody.Of(id, CloudEventBody.Catalogued, tenant), CloudEventBody.RoutingKey(tenant));
            await Eventually.Get(() => Task.FromResult(service.Log()),
                log => log.Split("Recording a notification failed").Length > 2, IntakeService.Patience, "two failed attempts in the log");
            var waiting = await service.Broker.QueueDepthsAsync();
            Assert.Equal(1, waiting[NotificationIntakeConsumerDefinition.Queue]);
        }
        finally
        {
            await using var db = service.Database();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE events_away RENAME TO events");
        }

        await service.WaitUntilSettledAsync();
        await using (var db = service.Database())
        {
            Assert.True(await db.Events.AnyAsync(e => e.Id == id), "the notification was lost");
            Assert.Equal(1, await db.Deliveries.CountAsync(d => d.EventId == id && d.SubscriptionId == subscription));
        }
    }

    [Fact]
    public async Task When_many_notifications_arrive_at_once_they_are_recorded_together_in_a_few_transactions()
    {
        const int count = 500;
        var tenant = Unique("tenant");
        var subscription = await service.SubscribeAsync(tenant, allTenants: false, "org.onap.imagemanager.image.validated");
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToList();
        var before = await service.CommittedTransactionsAsync();

        await service.PublishAllAsync(ids.Select(id => CloudEventBody.Of(id, "org.onap.imagemanager.image.validated", tenant)), CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();

        // One by one, each would take three (the subscriptions read, the repeat check, the write): 1,500. Counted with them:
        // the dispatcher's look for due deliveries, which each recorded group wakes (none is due: the subscription is
        // suspended); how many groups the 500 make depends on how busy the machine is (a full run measured 106 in all).
        var transactions = await service.CommittedTransactionsAsync() - before;
        Assert.InRange(transactions, 1, count / 4);
        await using var db = service.Database();
        Assert.Equal(count, await db.Deliveries.CountAsync(d => d.SubscriptionId == subscription && ids.Contains(d.EventId)));
    }

    /// <summary>Nothing went to an error or skipped queue: a dropped message is gone, not parked.</summary>
    async Task ExpectNothingParkedAsync()
    {
        var parked = (await service.Broker.QueueDepthsAsync())
            .Where(q => q.Key.EndsWith("_error", StringComparison.Ordinal) || q.Key.EndsWith("_skipped", StringComparison.Ordinal))
            .Where(q => q.Value > 0)
            .ToList();
        Assert.Empty(parked);
    }

    static string IdOf(byte[] cloudEvent) => JsonNode.Parse(cloudEvent)!["id"]!.GetValue<string>();

    static string Unique(string value) => $"{value}-{Guid.NewGuid():N}"[..20];
}
