using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Cancels every target of a distribution not yet under way (pending: waiting for a slot, queued, or waiting for a
/// retry) in one statement that names them, so that an event goes out for exactly those. Their uploads, when they come
/// round, find the target cancelled and do nothing; uploads already running finish.
/// </summary>
public static class PendingTargetCancellation
{
    public static async Task<int> CancelAsync(DistributionDbContext db, IPublishEndpoint bus, Guid distributionId, Guid imageId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cancelled = new List<(string VimId, int Attempt)>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE distribution_targets
                SET state = 'cancelled', progress = 2147483647, last_error = @reason, updated_at = @now
                WHERE distribution_id = @id AND state = 'pending'
                RETURNING vim_id, attempt
                """;
            command.Parameters.Add(new NpgsqlParameter("id", distributionId));
            command.Parameters.Add(new NpgsqlParameter("now", now));
            command.Parameters.Add(new NpgsqlParameter("reason", reason));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                cancelled.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        foreach (var (vimId, attempt) in cancelled)
        {
            await bus.Publish(new VimImageStateChanged
            {
                DistributionId = distributionId,
                ImageId = imageId,
                VimId = vimId,
                State = TargetStates.Cancelled,
                Attempt = attempt,
                Error = reason,
                ChangedAt = now,
            }, cancellationToken).WaitAsync(cancellationToken);
        }

        return cancelled.Count;
    }

    /// <summary>
    /// The distribution stops by itself (failure threshold, deadline): why is recorded (the first reason stays) and the
    /// targets not under way are cancelled with that reason.
    /// </summary>
    public static async Task StopAsync(DistributionDbContext db, IPublishEndpoint bus, Guid distributionId, Guid imageId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Distributions.Where(d => d.CorrelationId == distributionId && d.StopReason == null)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.StopReason, reason), cancellationToken);
        await CancelAsync(db, bus, distributionId, imageId, reason, now, cancellationToken);
    }
}
