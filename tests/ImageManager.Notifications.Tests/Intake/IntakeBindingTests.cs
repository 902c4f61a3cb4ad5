using System.Text.Json.Nodes;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Tests.Intake;

/// <summary>
/// The intake receives a type only while a subscription wants it, counted by the broker's deliveries to the service (its
/// bus-traffic counter): events nobody wants never reach its queue, the first after a subscription is made does, and the
/// type stops reaching it when its last subscription goes. Its fixture starts from the earlier intake's catch-all binding,
/// which the service removes. Each test uses types of its own, and no subscription here wants every type.
/// </summary>
public sealed class IntakeBindingTests(IntakeService service) : IClassFixture<IntakeService>
{
    const int Unwanted = 50;
    const string Prefix = "org.onap.imagemanager.";

    [Fact]
    public async Task When_no_subscription_wants_a_type_its_events_never_reach_the_intake_and_the_first_after_subscribing_does()
    {
        var tenant = Unique("tenant");
        const string type = Prefix + "image.deactivated";
        var before = await service.MessagesReceivedAsync();

        await PublishUnwantedAsync(type, tenant);
        var subscription = await service.SubscribeAsync(tenant, allTenants: false, type);
        var wanted = await PublishAndWaitUntilRecordedAsync(type, tenant);

        // One queue, one consumer, first in first out: had the earlier ones been routed to it, they would have come first.
        // The counter moves after the consumer's pipeline ends, a moment after the event is recorded: wait for it.
        Assert.Equal(1, await ReceivedSinceAsync(before));
        await using var db = service.Database();
        Assert.Equal([subscription], await db.Deliveries.Where(d => d.EventId == wanted).Select(d => d.SubscriptionId).ToListAsync());
    }

    [Fact]
    public async Task When_the_last_subscription_of_a_type_is_deleted_its_events_stop_reaching_the_intake()
    {
        var tenant = Unique("tenant");
        const string type = Prefix + "image.updated";
        var first = await service.SubscribeAsync(tenant, allTenants: false, type);
        var second = await service.SubscribeAsync(tenant, allTenants: false, Prefix + "image.upd*");

        await service.UnsubscribeAsync(first);
        var stillWanted = await PublishAndWaitUntilRecordedAsync(type, tenant);
        await using (var db = service.Database())
        {
            Assert.Equal([second], await db.Deliveries.Where(d => d.EventId == stillWanted).Select(d => d.SubscriptionId).ToListAsync());
        }

        await service.UnsubscribeAsync(second); // with its deliveries
        var before = await service.MessagesReceivedAsync();
        await PublishUnwantedAsync(type, tenant);
        await service.SubscribeAsync(tenant, allTenants: false, Prefix + "image.reactivated");
        await PublishAndWaitUntilRecordedAsync(Prefix + "image.reactivated", tenant);

        Assert.Equal(1, await ReceivedSinceAsync(before));
    }

    [Fact]
    public async Task When_a_subscription_of_a_type_is_made_while_another_of_it_is_deleted_the_type_stays_bound()
    {
        var tenant = Unique("tenant");
        const string type = Prefix + "image.rejected";
        var existing = await service.SubscribeAsync(tenant, allTenants: false, type);
        for (var round = 0; round < 8; round++)
        {
            // The deletion's pass may read the subscriptions before the new one is stored: were the two not serialised, it
            // would unbind the type after the creation bound it.
            var made = service.SubscribeAsync(tenant, allTenants: false, type);
            await Task.WhenAll(made, service.UnsubscribeAsync(existing));
            existing = await made;

            var id = await PublishAndWaitUntilRecordedAsync(type, tenant);
            await using var db = service.Database();
            Assert.Equal([existing], await db.Deliveries.Where(d => d.EventId == id).Select(d => d.SubscriptionId).ToListAsync());
        }
    }

    [Fact]
    public async Task When_batches_are_published_one_of_a_wanted_type_reaches_the_intake_by_its_header_and_one_of_an_unwanted_type_does_not()
    {
        var tenant = Unique("tenant");
        const string wanted = Prefix + "distribution.target.changed";
        await service.SubscribeAsync(tenant, allTenants: false, wanted);
        var before = await service.MessagesReceivedAsync();
        var unwanted = Enumerable.Range(0, 3).Select(_ => CloudEventBody.Of(Guid.NewGuid().ToString(), Prefix + "distribution.progress", tenant)).ToArray();
        var events = Enumerable.Range(0, 3).Select(_ => CloudEventBody.Of(Guid.NewGuid().ToString(), wanted, tenant)).ToArray();
        var ids = events.Select(e => JsonNode.Parse(e)!["id"]!.GetValue<string>()).ToList();

        await service.PublishBatchAsync(CloudEventBody.Batch(unwanted), Prefix + "distribution.progress", CloudEventBody.RoutingKey(tenant));
        await service.PublishBatchAsync(CloudEventBody.Batch(events), wanted, CloudEventBody.RoutingKey(tenant));
        await Eventually.Get(async () =>
        {
            await using var db = service.Database();
            return await db.Events.CountAsync(e => ids.Contains(e.Id));
        }, recorded => recorded == ids.Count, IntakeService.Patience, "the wanted batch's events recorded");

        // One message for the three wanted events; the unwanted batch, published first, never reached the queue.
        Assert.Equal(1, await ReceivedSinceAsync(before));
    }

    async Task PublishUnwantedAsync(string type, string tenant)
    {
        for (var i = 0; i < Unwanted; i++)
        {
            await service.PublishAsync(CloudEventBody.Of(Guid.NewGuid().ToString(), type, tenant), CloudEventBody.RoutingKey(tenant));
        }
    }

    async Task<string> PublishAndWaitUntilRecordedAsync(string type, string tenant)
    {
        var id = Guid.NewGuid().ToString();
        await service.PublishAsync(CloudEventBody.Of(id, type, tenant), CloudEventBody.RoutingKey(tenant));
        await Eventually.Get(async () =>
        {
            await using var db = service.Database();
            return await db.Events.AnyAsync(e => e.Id == id);
        }, recorded => recorded, IntakeService.Patience, $"the {type} event {id} recorded");
        return id;
    }

    static string Unique(string value) => $"{value}-{Guid.NewGuid():N}"[..20];

    /// <summary>Messages the intake took since <paramref name="before"/>, once at least one is counted.</summary>
    async Task<long> ReceivedSinceAsync(long before) =>
        await Eventually.Get(async () => await service.MessagesReceivedAsync() - before, received => received >= 1, TimeSpan.FromSeconds(10),
            "the intake's bus-traffic counter to count the wanted event");
}
