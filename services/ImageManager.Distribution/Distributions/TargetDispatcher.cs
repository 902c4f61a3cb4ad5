using System.Data.Common;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Regions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Runs after a target of a distribution became final. Starts waiting targets while the strategy has room (max
/// parallel, canary wave first), stops the rollout when failures pass the threshold, and then asks whether the
/// distribution is finished. A distribution that started every target at once has no waiting target: for it, this is
/// one index probe that finds nothing.
/// </summary>
public static class TargetDispatcher
{
    static readonly string OpenStates = $"state NOT IN ({string.Join(", ", TargetStates.Final.Select(state => $"'{state}'"))})";

    public static async Task AfterTargetFinishedAsync(DistributionDbContext db, ConsumeContext context, Guid distributionId, DateTimeOffset now)
    {
        var cancellationToken = context.CancellationToken;
        if (await db.Targets.AnyAsync(t => t.DistributionId == distributionId && t.DispatchedAt == null && t.State == TargetStates.Pending, cancellationToken))
        {
            await DispatchAsync(db, context, distributionId, now, cancellationToken);
        }

        await DistributionCompletionCheck.ReportIfFinishedAsync(db, context, distributionId, now, cancellationToken);
    }

    /// <summary>
    /// Serialised per distribution by an advisory lock, so that two targets finishing at once cannot both fill the same
    /// free slot. Uploads are sent before the commit: a crash in between sends one twice (harmless: ensure-present),
    /// never zero times.
    /// </summary>
    static async Task DispatchAsync(DistributionDbContext db, ConsumeContext context, Guid distributionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var strategy = await db.Distributions.AsNoTracking().Where(d => d.CorrelationId == distributionId)
            .Select(d => new { d.ImageId, d.Kind, d.MaxParallel, d.CanarySize, d.MaxFailures, d.StopReason })
            .FirstOrDefaultAsync(cancellationToken);
        // Only a distribution's targets wait for a slot; a recall's removal holds back a VIM's target until the successor
        // is there, and sends it itself (Recalls.RecallProgress).
        if (strategy is null || strategy.StopReason is not null || strategy.Kind != DistributionKinds.Distribution)
        {
            return;
        }

        string? stopReason = null;
        var started = new List<string>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var connection = db.Database.GetDbConnection();
            await using (var command = Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended(@id::text, 5082))", distributionId))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            int inFlight, failed, canaryOpen, canaryFailed;
            await using (var command = Command(connection, transaction, $"""
                SELECT count(*) FILTER (WHERE dispatched_at IS NOT NULL AND {OpenStates}),
                       count(*) FILTER (WHERE state = 'failed'),
                       count(*) FILTER (WHERE wave = 0 AND {OpenStates}),
                       count(*) FILTER (WHERE wave = 0 AND state = 'failed')
                FROM distribution_targets WHERE distribution_id = @id
                """, distributionId))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (inFlight, failed, canaryOpen, canaryFailed) = ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3));
            }

            if (strategy.MaxFailures is { } most && failed > most)
            {
                stopReason = $"Stopped: {failed} targets failed, more than the {most} the strategy allows.";
            }
            else if (strategy.CanarySize is { } canary && canaryOpen == 0 && canaryFailed > (strategy.MaxFailures ?? 0))
            {
                stopReason = $"Stopped: {canaryFailed} of the {canary} canary targets failed.";
            }
            else
            {
                var slots = (strategy.MaxParallel ?? int.MaxValue) - inFlight;
                var wave = strategy.CanarySize is not null && canaryOpen > 0 ? 0 : 1;
                if (slots > 0)
                {
                    await using var command = Command(connection, transaction, """
                        UPDATE distribution_targets SET dispatched_at = @now
                        WHERE distribution_id = @id AND vim_id IN (
                            SELECT vim_id FROM distribution_targets
                            WHERE distribution_id = @id AND dispatched_at IS NULL AND state = 'pending' AND wave <= @wave
                            ORDER BY wave, sequence LIMIT @slots)
                        RETURNING vim_id
                        """, distributionId);
                    command.Parameters.Add(new NpgsqlParameter("now", now));
                    command.Parameters.Add(new NpgsqlParameter("wave", wave));
                    command.Parameters.Add(new NpgsqlParameter("slots", Math.Min(slots, 10_000)));
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        started.Add(reader.GetString(0));
                    }
                }
            }

            await context.GetServiceOrCreateInstance<UploadRouting>().SendAsync(context, distributionId, strategy.ImageId, started, cancellationToken);

            await transaction.CommitAsync(cancellationToken);
        }

        if (stopReason is not null)
        {
            await PendingTargetCancellation.StopAsync(db, context, distributionId, strategy.ImageId, stopReason, now, cancellationToken);
        }
    }

    static DbCommand Command(DbConnection connection, IDbContextTransaction transaction, string sql, Guid distributionId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        command.Parameters.Add(new NpgsqlParameter("id", distributionId));
        return command;
    }
}
