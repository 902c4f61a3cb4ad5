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
/// Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so replicas share the work without publishing a row twice
/// while it is claimed; a crash between publishing and removing publishes it again (at least once, as every consumer
/// here expects).
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IOptions<CatalogOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    const int Batch = 100;

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
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var messages = await db.Outbox
                .FromSqlRaw($"SELECT * FROM outbox_messages ORDER BY id LIMIT {Batch} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
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

            db.Outbox.RemoveRange(messages);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return messages.Count;
        });
    }
}
