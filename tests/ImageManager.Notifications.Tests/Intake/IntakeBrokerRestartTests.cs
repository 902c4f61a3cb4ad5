using System.Collections.Concurrent;
using System.Net;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Tests.Intake;

/// <summary>RabbitMQ restarts: the intake says it is not ready while the broker is gone, finds it again by itself and goes on.</summary>
public sealed class IntakeBrokerRestartTests(PrivateBrokerIntakeService service) : IClassFixture<PrivateBrokerIntakeService>
{
    [Fact]
    public async Task When_the_broker_restarts_the_intake_is_unready_while_it_is_gone_then_consumes_again()
    {
        var tenant = $"tenant-{Guid.NewGuid():N}"[..20];
        await service.SubscribeAsync(tenant, allTenants: false);
        var before = await RecordedAsync(tenant);

        var seen = new ConcurrentQueue<HttpStatusCode>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                seen.Enqueue(await service.ReadinessAsync());
                await Task.Delay(100);
            }
        });
        await service.Broker.RestartAsync();
        await Eventually.Get(service.ReadinessAsync, status => status == HttpStatusCode.OK, IntakeService.Patience, "the intake ready again");
        await watching.CancelAsync();
        await watcher;

        Assert.Contains(HttpStatusCode.ServiceUnavailable, seen);
        var after = await RecordedAsync(tenant);
        await using var db = service.Database();
        Assert.Equal(2, await db.Events.CountAsync(e => e.Id == before || e.Id == after));
    }

    async Task<string> RecordedAsync(string tenant)
    {
        var id = Guid.NewGuid().ToString();
        await service.PublishAsync(CloudEventBody.Of(id, CloudEventBody.Catalogued, tenant), CloudEventBody.RoutingKey(tenant));
        await service.WaitUntilSettledAsync();
        return id;
    }
}
