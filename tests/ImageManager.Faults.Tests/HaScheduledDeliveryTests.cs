using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.Testing;
using MassTransit;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The durable scheduler (Quartz, its store in PostgreSQL) taking a message while PostgreSQL has no primary: an upload's
/// retry is such a message, and losing it leaves its target waiting for good.
/// </summary>
[Collection(HaCollection.Name)]
public sealed class HaScheduledDeliveryTests(HaSystemFixture system)
{
    [Fact]
    public async Task When_a_message_is_scheduled_while_postgresql_fails_over_it_is_delivered_once_a_primary_is_back()
    {
        var probe = $"scheduled-probe-{Guid.NewGuid():N}";
        // As one of Image Manager's own services (the scheduler takes no ScheduleMessage from outside), to the scheduler's
        // exchange: a send to its queue would declare it again, as a classic queue where the cluster's is a quorum one.
        await using var service = await OutsideSender.ConnectAsync(system.Broker.Uri, BrokerUser.Of(system.Broker.Uri));
        var scheduler = service.Bus.CreateMessageScheduler(new Uri("exchange:scheduler"));
        var retry = new UploadImageToVim { DistributionId = Guid.NewGuid(), ImageId = Guid.NewGuid(), VimId = probe };

        await HaSystemFixture.KillNodeAsync("postgres-primary");
        try
        {
            await scheduler.ScheduleSend(new Uri($"queue:{probe}"), DateTime.UtcNow.AddSeconds(2), retry);
            // The scheduler's store has no primary to write to until Patroni promotes the standby.
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await HaSystemFixture.StartNodeAsync("postgres-primary");
        }

        var queues = await Eventually.Get(system.Broker.QueueDepthsAsync, queues => queues.GetValueOrDefault(probe) > 0, TimeSpan.FromMinutes(3),
            "the scheduled message in its queue after the failover");
        // The probe queue has no consumer: gone, so that the fixture's next test finds the bus idle.
        await system.Broker.DeleteQueueAsync(probe);
        Assert.Equal(1, queues[probe]);
        Assert.Equal(0, queues.GetValueOrDefault("scheduler_error"));
    }
}
