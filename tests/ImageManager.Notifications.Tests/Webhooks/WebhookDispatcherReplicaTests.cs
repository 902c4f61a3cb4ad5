using ImageManager.Notifications.Webhooks;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>Two webhook dispatchers on one PostgreSQL database, as two replicas of the Notifications service run them.</summary>
public sealed class WebhookDispatcherReplicaTests
{
    [Fact]
    public async Task When_two_replicas_dispatch_the_same_deliveries_each_event_reaches_the_subscriber_once()
    {
        const int events = 60;
        await using var service = await WebhookDispatchService.StartAsync();
        using var subscriber = new WebhookSubscriber();
        var subscription = await service.SubscribeAsync(subscriber, "webhook-secret");
        await service.RecordEventsAsync(events, "event", subscription);

        await service.StartDispatchersAsync(replicas: 2);

        await subscriber.WaitForAsync(received => received.Select(r => r.Subject).Distinct().Count() == events, "every event delivered");
        await service.StopDispatchersAsync(); // waits for the attempts in flight: nothing is sent after this
        Assert.Equal(events, subscriber.Received.Count);
        await using var after = service.Database();
        Assert.All(await after.Deliveries.AsNoTracking().ToListAsync(), d => Assert.Equal((DeliveryStates.Delivered, 1), (d.State, d.Attempts)));
    }
}
