using System.Threading.Channels;

namespace ImageManager.Distribution.Persistence;

/// <summary>
/// Requests of a replica's uploads written together, to PostgreSQL in one transaction or to the bus in one message:
/// whatever arrives while one write runs goes into the next (at most <see cref="MostPerTransaction"/>), so a request
/// alone waits for nobody and ten thousand at once take a few dozen writes. Each request carries its own answer, which <see cref="WriteAsync"/> completes; when a
/// transaction fails, <see cref="FailedAsync"/> decides what becomes of its requests. Written here because nothing in the
/// package source batches requests with an answer each (System.Threading.Channels gives the queue).
/// </summary>
public abstract class GroupCommit<TRequest>(ILogger logger) : BackgroundService
{
    protected const int MostPerTransaction = 500;

    readonly Channel<TRequest> _requests = Channel.CreateUnbounded<TRequest>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a request for the next transaction.</summary>
    protected void Enqueue(TRequest request) => _requests.Writer.TryWrite(request);

    /// <summary>Writes the requests in one transaction and completes each one's answer.</summary>
    protected abstract Task WriteAsync(List<TRequest> batch, CancellationToken cancellationToken);

    /// <summary>The transaction of <paramref name="batch"/> failed with <paramref name="exception"/>: answer each request.</summary>
    protected abstract Task FailedAsync(List<TRequest> batch, Exception exception, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<TRequest>(MostPerTransaction);
        while (await _requests.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MostPerTransaction && _requests.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            try
            {
                await WriteAsync(batch, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "{Count} requests written together ({Kind}) failed.", batch.Count, GetType().Name);
                await FailedAsync(batch, exception, stoppingToken);
            }

            batch.Clear();
        }
    }
}
