using System.Text.Json;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ImageManager.ServiceDefaults;

namespace ImageManager.Catalog.Outbox;

/// <summary>
/// Publishes the events (and sends the commands) the catalogue saved in its outbox, oldest first, and removes them once the broker took them.
/// Rows are claimed in the rows themselves (<c>claimed_by</c>, <c>claimed_until</c>) by one committed <c>UPDATE</c> before
/// anything is published, so replicas share the work without publishing a row twice while it is claimed, on one MariaDB or
/// on Galera (whose nodes do not share row locks: two nodes claiming the same rows at once fail the later commit on
/// certification, a deadlock error that the execution strategy retries). A crash between publishing and removing
/// publishes the rows again once their claim has run out (at least once, as every consumer here expects).
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IOptions<CatalogOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    const int Batch = 100;

    /// <summary>Far longer than publishing a batch takes; the delay before a dead dispatcher's rows go out again.</summary>
    static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchAsync(stoppingToken) == Batch)
                {
                }

                await signal.WaitAsync(options.Value.OutboxPollInterval, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Publishing the outbox failed; trying again in {Interval}.", options.Value.OutboxPollInterval);
                await Task.Delay(options.Value.OutboxPollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Publishes one batch; returns how many events it published.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var claim = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var until = now + ClaimFor;
        var claimed = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => db.Database.ExecuteSqlAsync($"""
            UPDATE outbox_messages SET claimed_by = {claim}, claimed_until = {until}
            WHERE claimed_until IS NULL OR claimed_until < {now}
            ORDER BY id LIMIT {Batch}
            """, cancellationToken));
        if (claimed == 0)
        {
            return 0;
        }

        var messages = await db.Outbox.AsNoTracking().Where(m => m.ClaimedBy == claim).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        foreach (var message in messages)
        {
            var type = typeof(ImageDeleted).Assembly.GetType(message.MessageType)
                ?? throw new InvalidOperationException($"Outbox message {message.Id} has the unknown type '{message.MessageType}'.");
            var body = JsonSerializer.Deserialize(message.Body, type)!;
            if (message.Destination is { } queue)
            {
                var endpoint = await bus.GetSendEndpoint(BusAddresses.Endpoint(queue));
                await endpoint.Send(body, type, cancellationToken);
            }
            else
            {
                await bus.Publish(body, type, cancellationToken);
            }
        }

        // Only rows still this batch's: one whose claim ran out and was taken over is the taker's to remove.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(() => db.Outbox.Where(m => m.ClaimedBy == claim).ExecuteDeleteAsync(cancellationToken));
        return messages.Count;
    }
}
