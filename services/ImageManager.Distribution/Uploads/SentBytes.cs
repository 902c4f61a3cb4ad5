using System.Collections.Concurrent;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The bytes sent by the uploads running in this replica, written to their targets' rows every <see cref="FlushInterval"/>
/// in one statement for all that moved (<see cref="TargetBytesUpdate"/>): ten thousand uploads cost one write a second
/// per replica, not ten thousand. Kept in memory between flushes, and that is all that is lost when the replica dies:
/// the upload is run again from its first byte, and its count with it.
/// </summary>
public sealed class SentBytes(IDbContextFactory<DistributionDbContext> databases, TimeProvider clock, ILogger<SentBytes> logger) : BackgroundService
{
    /// <summary>How often the counts that moved are written: well within the 2 s in which a target's bytes must show.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    readonly ConcurrentDictionary<SentByteCount, byte> _running = new(ReferenceEqualityComparer.Instance);

    /// <summary>Counts from now on for this run of the target's upload, until <see cref="Stop"/>.</summary>
    public SentByteCount Start(Guid distributionId, string vimId, int attempt)
    {
        var count = new SentByteCount(distributionId, vimId, attempt, clock.GetTimestamp());
        _running[count] = 0;
        return count;
    }

    /// <summary>The upload sent its last byte or ended: no more writes of its count (the target's own events say the rest).</summary>
    public void Stop(SentByteCount count) => _running.TryRemove(count, out _);

    /// <summary>Writes every running count that moved since it was last written; a target not (or no longer) uploading in that attempt keeps its row.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var moved = _running.Keys.Select(count => (Count: count, Bytes: count.Unwritten)).Where(m => m.Bytes is not null).ToList();
        if (moved.Count == 0)
        {
            return;
        }

        var targets = moved.Select(m => new TargetBytes
        {
            DistributionId = m.Count.DistributionId,
            VimId = m.Count.VimId,
            Attempt = m.Count.Attempt,
            Bytes = m.Bytes!.Value,
            BytesPerSecond = clock.GetElapsedTime(m.Count.Started) is { TotalSeconds: >= 0.5 } elapsed && m.Bytes.Value > 0 ? Math.Round(m.Bytes.Value / elapsed.TotalSeconds) : null,
        }).ToList();
        HashSet<(Guid, string)> written;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            // Opened by hand, so closed by hand, as the other writers here do, not left to the pooled context's return.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                written = (await TargetBytesUpdate.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), targets, onlyForward: false, clock.GetUtcNow(), cancellationToken)).ToHashSet();
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        // A run whose 'uploading' has not reached its row yet is written at the next flush.
        foreach (var (count, bytes) in moved.Where(m => written.Contains((m.Count.DistributionId, m.Count.VimId))))
        {
            count.Written(bytes!.Value);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    // The counts are still here: the next flush writes them.
                    logger.LogWarning(exception, "Writing the bytes sent of {Count} uploads failed; trying again at the next flush.", _running.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
