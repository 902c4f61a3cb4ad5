using ImageManager.ServiceDefaults.BusAccess;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Testing;

/// <summary>
/// A system outside Image Manager on the bus (SDC, SO, or one that should not be there): a bus of its own, connected as
/// a broker user, naming on what it sends the user it claims to be (or none).
/// </summary>
public sealed class OutsideSender : IAsyncDisposable
{
    readonly ServiceProvider _services;

    OutsideSender(ServiceProvider services) => _services = services;

    public IBus Bus => _services.GetRequiredService<IBus>();

    public static async Task<OutsideSender> ConnectAsync(Uri amqpUri, string? claimedUser)
    {
        var services = new ServiceCollection()
            .AddMassTransit(x =>
            {
                x.DisableUsageTelemetry();
                x.UsingRabbitMq((_, cfg) =>
                {
                    cfg.Host(amqpUri);
                    if (claimedUser is not null)
                    {
                        cfg.StampBrokerUser(claimedUser);
                    }
                });
            })
            .BuildServiceProvider();
        await services.GetRequiredService<IBusControl>().StartAsync();
        return new OutsideSender(services);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<IBusControl>().StopAsync();
        await _services.DisposeAsync();
    }
}
