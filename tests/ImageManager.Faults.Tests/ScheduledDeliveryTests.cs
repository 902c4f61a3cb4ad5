using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.Testing;
using MassTransit;

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
        var probe = $"scheduled-probe-{Guid.NewGuid():N}";
        // As one of Image Manager's own services (the scheduler takes no ScheduleMessage from outside), to the scheduler's
        // exchange: a send to its queue would declare it again, as a classic queue where the cluster's is a quorum one.
        await using var service = await OutsideSender.ConnectAsync(system.Broker.Uri, BrokerUser.Of(system.Broker.Uri));
        var scheduler = service.Bus.CreateMessageScheduler(new Uri("exchange:scheduler"));
        var retry = new UploadImageToVim { DistributionId = Guid.NewGuid(), ImageId = Guid.NewGuid(), VimId = probe };
        var due = DateTime.UtcNow.AddSeconds(20);
        await scheduler.ScheduleSend(new Uri($"queue:{probe}"), due, retry);
        await Eventually.Get(system.Broker.QueueDepthsAsync, queues => queues.GetValueOrDefault("scheduler") == 0, TimeSpan.FromSeconds(10),
            "the scheduler to take the message into its store");

        // The broker away from before the message is due until well after: the job fires with no broker to send to.
        await system.Broker.StopAsync();
        Assert.True(DateTime.UtcNow < due, "The broker took longer to stop than the message took to fall due: the test tested nothing.");
        await Task.Delay(due - DateTime.UtcNow + TimeSpan.FromSeconds(5));
        await system.Broker.StartAsync();

        var queues = await Eventually.Get(system.Broker.QueueDepthsAsync, queues => queues.GetValueOrDefault(probe) > 0, TimeSpan.FromSeconds(90),
            "the scheduled message in its queue after the broker came back");
        // The probe queue has no consumer: gone, so that the fixture's next test finds the bus idle.
        await system.Broker.DeleteQueueAsync(probe);
        Assert.Equal(1, queues[probe]);
    }
}
