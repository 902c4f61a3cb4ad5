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
        string probe;
        await HaSystemFixture.KillNodeAsync("postgres-primary");
        try
        {
            probe = await system.ScheduleProbeAsync(DateTime.UtcNow.AddSeconds(2));
            // The scheduler's store has no primary to write to until Patroni brings one back.
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await HaSystemFixture.StartNodeAsync("postgres-primary");
        }

        await system.ExpectProbeDeliveredAsync(probe, TimeSpan.FromMinutes(3));
    }
}
