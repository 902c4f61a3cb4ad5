using ImageManager.ServiceDefaults.Budgets;
using Npgsql;
using NpgsqlTypes;

namespace ImageManager.Distribution.Budgets;

/// <summary>
/// A reporter's transfers in flight written to <c>transfers_in_flight</c> and everyone else's read back, in one batch
/// (one round trip, one implicit transaction): its own rows replaced, then the counts of the others for the VIMs it
/// named and in all, and, for a reporter without a database, those VIMs' caps.
/// </summary>
public static class TransferCounts
{
    /// <summary>How long a report counts: a few report intervals, so a replica that died stops counting within seconds.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    public static async Task<TransferBudgetAnswer> ExchangeAsync(
        NpgsqlConnection connection, string reporter, IReadOnlyDictionary<string, int> here, bool withCaps, long? uplink, CancellationToken cancellationToken)
    {
        var vims = here.Keys.ToArray();
        var counts = vims.Select(v => here[v]).ToArray();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command("DELETE FROM transfers_in_flight WHERE reporter = $1", Text(reporter)));
        batch.BatchCommands.Add(Command(
            "INSERT INTO transfers_in_flight (reporter, vim_id, transfers, expires_at) " +
            "SELECT $1, v, c, now() + make_interval(secs => $4) FROM unnest($2::text[], $3::integer[]) AS t(v, c) WHERE c > 0",
            Text(reporter), new NpgsqlParameter { Value = vims, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new NpgsqlParameter { Value = counts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer }, new NpgsqlParameter { Value = Lease.TotalSeconds }));
        // Rows of replicas gone for good are purged by whoever passes, skipping rows another reporter is purging.
        batch.BatchCommands.Add(Command(
            "DELETE FROM transfers_in_flight WHERE (reporter, vim_id) IN " +
            "(SELECT reporter, vim_id FROM transfers_in_flight WHERE expires_at < now() - interval '1 minute' LIMIT 100 FOR UPDATE SKIP LOCKED)"));
        batch.BatchCommands.Add(Command(
            "SELECT vim_id, sum(transfers)::integer FROM transfers_in_flight WHERE reporter <> $1 AND expires_at > now() AND vim_id = ANY($2) GROUP BY vim_id " +
            "UNION ALL SELECT NULL, coalesce(sum(transfers), 0)::integer FROM transfers_in_flight WHERE reporter <> $1 AND expires_at > now()",
            Text(reporter), new NpgsqlParameter { Value = vims, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }));
        if (withCaps)
        {
            batch.BatchCommands.Add(Command("SELECT id, bandwidth_limit_bytes_per_second FROM vims WHERE id = ANY($1)",
                new NpgsqlParameter { Value = vims, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }));
        }

        var elsewhere = new Dictionary<string, int>(StringComparer.Ordinal);
        var caps = new Dictionary<string, long?>(StringComparer.Ordinal);
        var total = 0;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(0))
            {
                total = reader.GetInt32(1);
            }
            else
            {
                elsewhere[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        if (withCaps && await reader.NextResultAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                caps[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            }

            // A VIM no longer registered has no cap: said so, so that its pull does not wait to learn one.
            foreach (var vim in vims.Where(v => v != TransferShares.NoVim && !caps.ContainsKey(v)))
            {
                caps[vim] = null;
            }
        }

        return new TransferBudgetAnswer { UplinkBytesPerSecond = uplink, UplinkTransfersElsewhere = total, TransfersElsewhere = elsewhere, Caps = caps };
    }

    static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
