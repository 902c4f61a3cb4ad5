using ImageManager.Notifications.Webhooks;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>What a delivery costs the database: the claim brings what is sent, and outcomes are recorded in groups.</summary>
public sealed class WebhookDispatcherCostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task When_events_go_to_three_subscriptions_each_delivery_costs_a_fraction_of_a_round_trip_and_of_a_transaction()
    {
        const int events = 300;
        await using var service = await WebhookDispatchService.StartAsync(options => options.Concurrency = 16);
        using var so = new WebhookSubscriber();
        using var portal = new WebhookSubscriber();
        using var noc = new WebhookSubscriber();
        Guid[] subscriptions = [await service.SubscribeAsync(so, "so-secret-0123456789"), await service.SubscribeAsync(portal, "portal-secret-0123456789"),
            await service.SubscribeAsync(noc, "noc-secret-0123456789")];
        await service.RecordEventsAsync(events, "costed", subscriptions);
        var transactionsBefore = await service.CommittedTransactionsAsync();
        var commandsBefore = service.Commands.Commands;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

        await service.StartDispatchersAsync();
        foreach (var subscriber in new[] { so, portal, noc })
        {
            await subscriber.WaitForAsync(received => received.Select(r => r.Subject).Distinct().Count() == events, "every event delivered");
        }

        await service.StopDispatchersAsync();
        var (elapsed, cpu) = (clock.Elapsed, System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
        const int deliveries = events * 3;
        var commands = (double)(service.Commands.Commands - commandsBefore) / deliveries;
        var transactions = (double)(await service.CommittedTransactionsAsync() - transactionsBefore) / deliveries;
        output.WriteLine($"{deliveries} deliveries: {commands:0.###} commands (round trips) and {transactions:0.###} PostgreSQL transactions per delivery; "
            + $"{elapsed.TotalSeconds:0.00} s, this process (dispatcher and subscribers) {cpu.TotalSeconds:0.00} CPU-s");
        await using var db = service.Database();
        Assert.Equal(deliveries, await db.Deliveries.CountAsync(d => d.State == DeliveryStates.Delivered));
        // One at a time, each delivery took five of each (claim, subscription, body, outcome, failure count). Each time a
        // pooled connection is used again, Npgsql resets it (DISCARD ALL), which PostgreSQL counts as one more transaction.
        Assert.InRange(commands, 0, 0.5);
        Assert.InRange(transactions, 0, 1);
    }
}
