using ImageManager.Testing;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The durable scheduler (Quartz in the Distribution service) delivering a message that falls due while RabbitMQ is down:
/// an upload's retry is such a message, and losing it leaves its target waiting for good.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ScheduledDeliveryTests(FaultSystemFixture system)
{
    [Fact]
    public async Task When_a_scheduled_message_falls_due_while_the_broker_is_down_it_is_delivered_once_the_broker_is_back()
    {
        var due = DateTime.UtcNow.AddSeconds(20);
        var probe = await system.ScheduleProbeAsync(due);
        await Eventually.Get(system.Broker.QueueDepthsAsync, queues => queues.GetValueOrDefault("scheduler") == 0, TimeSpan.FromSeconds(10),
            "the scheduler to take the message into its store");

        // The broker away from before the message is due until well after: the job fires with no broker to send to.
        await system.Broker.StopAsync();
        Assert.True(DateTime.UtcNow < due, "The broker took longer to stop than the message took to fall due: the test tested nothing.");
        await Task.Delay(due - DateTime.UtcNow + TimeSpan.FromSeconds(5));
        await system.Broker.StartAsync();

        await system.ExpectProbeDeliveredAsync(probe, TimeSpan.FromSeconds(90));
    }
}
