using ImageManager.Contracts.Distributions;
using Npgsql;
using NpgsqlTypes;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// Writes the bytes sent of many uploading targets in one statement. A count applies only to a target that is still
/// <c>uploading</c> in the same attempt: once it verifies, ends, or a later attempt began, nothing here changes it.
/// </summary>
public static class TargetBytesUpdate
{
    /// <summary>
    /// The targets whose rows took their count. With <paramref name="onlyForward"/> a count never lowers the row's (reports
    /// that may arrive out of order); without, it replaces it (a new run of the same attempt counts from zero again).
    /// </summary>
    public static async Task<List<(Guid DistributionId, string VimId)>> WriteAsync(
        NpgsqlConnection connection, IReadOnlyList<TargetBytes> targets, bool onlyForward, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bytes = onlyForward ? "GREATEST(t.bytes_sent, c.bytes)" : "c.bytes";
        await using var command = new NpgsqlCommand($"""
            UPDATE distribution_targets AS t
            SET bytes_sent = {bytes}, bytes_per_second = c.rate, updated_at = @now
            FROM unnest(@distribution_ids, @vim_ids, @attempts, @bytes, @rates) AS c(distribution_id, vim_id, attempt, bytes, rate)
            WHERE t.distribution_id = c.distribution_id AND t.vim_id = c.vim_id AND t.attempt = c.attempt AND t.state = '{TargetStates.Uploading}'
            RETURNING t.distribution_id, t.vim_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("now", now));
        command.Parameters.Add(new NpgsqlParameter("distribution_ids", targets.Select(t => t.DistributionId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("vim_ids", targets.Select(t => t.VimId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("attempts", targets.Select(t => t.Attempt).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("bytes", targets.Select(t => t.Bytes).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("rates", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = targets.Select(t => t.BytesPerSecond).ToArray() });
        var written = new List<(Guid, string)>(targets.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            written.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return written;
    }
}
