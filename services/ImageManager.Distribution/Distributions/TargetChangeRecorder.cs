using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Records targets' progress on their own rows, a batch of changes in one conditional UPDATE: an event applies only if
/// it moves its target forward (<see cref="TargetProgress"/>) and the target is not final yet, so late, repeated or
/// concurrent events cannot undo a step. For each distribution with a final event in the batch, a waiting target may
/// then start (<see cref="TargetDispatcher"/>), and it asks whether any target is still open; if none is, it reports
/// <see cref="DistributionTargetsFinished"/> with the counts. That question is asked after the batch's write has
/// committed, so of two last targets finishing at once, at least the later one sees both; and it is asked even when the
/// write changed nothing, so a redelivery after a crash still completes the distribution. The batch goes on to the
/// Catalog as one <see cref="VimImageStatesRecorded"/>. One record never holds the others: the VIM's words are made safe
/// before they are written (<see cref="OutsideText"/>), and should the batch's write still be refused for its data, the
/// changes are written one by one, and a change that cannot be written fails its target alone, saying why. A new attempt
/// counts its bytes from zero; the bytes that flow in between steps are written by <see cref="Uploads.SentBytes"/> and
/// <see cref="Uploads.TargetBytesServedConsumer"/>, and only while the target is <c>uploading</c>.
/// </summary>
public sealed class TargetChangeRecorder(DistributionDbContext db, TimeProvider clock, ILogger<TargetChangeRecorder> logger)
{
    /// <summary>The room of a target's error (distribution_targets.last_error) and of a VIM image id (vim_image_id).</summary>
    const int MaxErrorLength = 4096;
    const int MaxVimImageIdLength = 255;

    /// <summary>Records <paramref name="messages"/> (in any order, repeats and all), tells the Catalog, and moves their distributions on.</summary>
    public async Task RecordAsync(ConsumeContext context, IEnumerable<VimImageStateChanged> messages)
    {
        var now = clock.GetUtcNow();
        var changes = Merge(messages).Select(Safe).ToList();
        changes = await ApplyAsync(changes, now, context.CancellationToken);

        // Whether or not the write changed a row: a redelivered batch must still reach the Catalog, which keeps the latest
        // change per pair by its time, so a repeat or a stale change there is harmless. Bounded by the message's
        // cancellation, as every bus call in these consumers: one stuck on a lost channel would hold the endpoint for good.
        await context.Publish(new VimImageStatesRecorded { Changes = changes }, context.CancellationToken).WaitAsync(context.CancellationToken);

        foreach (var distributionId in changes.Where(c => TargetStates.IsFinal(c.State)).Select(c => c.DistributionId).Distinct())
        {
            await TargetDispatcher.AfterTargetFinishedAsync(db, context, distributionId, now);
        }
    }

    /// <summary>
    /// One change per target: the furthest, carrying the error and VIM image id the earlier ones would have left on the
    /// row had they been applied one by one, and the most bytes of its attempt (an earlier attempt's do not count).
    /// </summary>
    static List<VimImageStateChanged> Merge(IEnumerable<VimImageStateChanged> messages) =>
        messages.GroupBy(m => (m.DistributionId, m.VimId))
            .Select(target =>
            {
                var ordered = target.OrderBy(m => TargetProgress.Of(m.Attempt, m.State)).ToList();
                return ordered[^1] with
                {
                    Error = ordered.LastOrDefault(m => m.Error is not null)?.Error,
                    VimImageId = ordered.LastOrDefault(m => m.VimImageId is not null)?.VimImageId,
                    BytesSent = ordered.Where(m => m.Attempt == ordered[^1].Attempt).Max(m => m.BytesSent),
                };
            })
            .ToList();

    /// <summary>What the VIM said, as it may be stored and shown.</summary>
    static VimImageStateChanged Safe(VimImageStateChanged change) => change with
    {
        Error = OutsideText.Sanitise(change.Error, MaxErrorLength),
        VimImageId = OutsideText.Sanitise(change.VimImageId, MaxVimImageIdLength),
    };

    /// <summary>
    /// Writes the batch in one statement; if PostgreSQL refuses its data (class 22 or 23), one by one, so only the change
    /// it refuses fails: its target becomes <c>failed</c> with the reason. Returns the changes as written.
    /// </summary>
    async Task<List<VimImageStateChanged>> ApplyAsync(List<VimImageStateChanged> changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            try
            {
                await WriteAsync(changes, now, cancellationToken);
                return changes;
            }
            catch (PostgresException refused) when (IsDataError(refused))
            {
                logger.LogWarning("A batch of {Count} target changes was refused ({SqlState}: {Reason}); writing them one by one.",
                    changes.Count, refused.SqlState, OutsideText.Sanitise(refused.MessageText, 300));
            }

            var written = new List<VimImageStateChanged>(changes.Count);
            foreach (var change in changes)
            {
                if (await WriteAloneAsync(change, now, cancellationToken) is { } done)
                {
                    written.Add(done);
                }
            }

            return written;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The change, else its target failed with the reason it could not be written; null when not even that could be.</summary>
    async Task<VimImageStateChanged?> WriteAloneAsync(VimImageStateChanged change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync([change], now, cancellationToken);
            return change;
        }
        catch (PostgresException refused) when (IsDataError(refused))
        {
            var failed = change with
            {
                State = TargetStates.Failed,
                VimImageId = null,
                Error = OutsideText.Sanitise($"The VIM's answer could not be recorded: {refused.SqlState}: {refused.MessageText}", MaxErrorLength),
            };
            logger.LogWarning("The change of target {VimId} of distribution {DistributionId} to {State} was refused ({SqlState}); the target fails: {Error}",
                change.VimId, change.DistributionId, change.State, refused.SqlState, failed.Error);
            try
            {
                await WriteAsync([failed], now, cancellationToken);
                return failed;
            }
            catch (PostgresException again) when (IsDataError(again))
            {
                logger.LogError("Target {VimId} of distribution {DistributionId} could not be failed either ({SqlState}: {Reason}); its change is dropped.",
                    change.VimId, change.DistributionId, again.SqlState, OutsideText.Sanitise(again.MessageText, 300));
                return null;
            }
        }
    }

    /// <summary>Data exceptions (22: NUL in text, too long, bad encoding) and integrity violations (23): the same data fails every time.</summary>
    static bool IsDataError(PostgresException exception) => exception.SqlState.StartsWith("22", StringComparison.Ordinal) || exception.SqlState.StartsWith("23", StringComparison.Ordinal);

    /// <summary>
    /// Writes the changes in one statement. An <c>active</c> report's bytes are the driver's count of the image it sent, and
    /// replace what was counted on the wire meanwhile (which includes a multipart body's framing); others never lower it.
    /// </summary>
    async Task WriteAsync(List<VimImageStateChanged> changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand($"""
            UPDATE distribution_targets AS t
            SET state = c.state, attempt = c.attempt, progress = c.progress,
                last_error = COALESCE(c.error, t.last_error),
                vim_image_id = COALESCE(c.vim_image_id, t.vim_image_id),
                bytes_sent = CASE WHEN c.state = '{TargetStates.Active}' OR c.attempt <> t.attempt THEN c.bytes_sent ELSE GREATEST(t.bytes_sent, c.bytes_sent) END,
                bytes_per_second = NULL,
                updated_at = @now
            FROM unnest(@distribution_ids, @vim_ids, @states, @attempts, @progress, @errors, @vim_image_ids, @bytes)
                AS c(distribution_id, vim_id, state, attempt, progress, error, vim_image_id, bytes_sent)
            WHERE t.distribution_id = c.distribution_id AND t.vim_id = c.vim_id
              AND t.progress < c.progress AND t.state NOT IN ({string.Join(", ", TargetStates.Final.Select(s => $"'{s}'"))})
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("now", now));
        command.Parameters.Add(new NpgsqlParameter("distribution_ids", changes.Select(c => c.DistributionId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("vim_ids", changes.Select(c => c.VimId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("states", changes.Select(c => c.State).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("attempts", changes.Select(c => c.Attempt).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("progress", changes.Select(c => TargetProgress.Of(c.Attempt, c.State)).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(c => c.Error).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("vim_image_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(c => c.VimImageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("bytes", changes.Select(c => c.BytesSent).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
