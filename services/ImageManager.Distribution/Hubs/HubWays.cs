using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ImageManager.Distribution.Hubs;

/// <summary>
/// The way each pulling target's bytes go (<c>hub</c>, or <c>hubFallback</c> with the reason), written before its VIM is
/// asked. The ways chosen while one transaction is written go together in the next (a group commit): thousands of
/// edges of a hub's region starting at once are a few statements, not one each.
/// </summary>
public sealed class HubWays(IDbContextFactory<DistributionDbContext> databases, ILogger<HubWays> logger) : GroupCommit<HubWays.Way>(logger)
{
    /// <summary>Records that target (<paramref name="distributionId"/>, <paramref name="vimId"/>) goes through <paramref name="hub"/>, or not, for <paramref name="fallback"/>.</summary>
    public Task RecordAsync(Guid distributionId, string vimId, string? hub, string? fallback, CancellationToken cancellationToken)
    {
        var way = new Way(distributionId, vimId, hub, fallback, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(way);
        return way.Written.Task.WaitAsync(cancellationToken);
    }

    protected override async Task WriteAsync(List<Way> batch, CancellationToken cancellationToken)
    {
        // A target routed twice in one batch (a retry racing its own first attempt): its last choice stands.
        var last = batch.GroupBy(w => (w.DistributionId, w.VimId)).Select(g => g.Last()).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("""
            UPDATE distribution_targets AS t SET hub = w.hub, hub_fallback = w.fallback
            FROM unnest(@distribution_ids, @vim_ids, @hubs, @fallbacks) AS w(distribution_id, vim_id, hub, fallback)
            WHERE t.distribution_id = w.distribution_id AND t.vim_id = w.vim_id
            """, (NpgsqlConnection)db.Database.GetDbConnection()))
        {
            command.Parameters.Add(new NpgsqlParameter("distribution_ids", last.Select(w => w.DistributionId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("vim_ids", last.Select(w => w.VimId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("hubs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Select(w => w.Hub).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("fallbacks", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Select(w => w.Fallback).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        batch.ForEach(w => w.Written.TrySetResult());
    }

    protected override Task FailedAsync(List<Way> batch, Exception exception, CancellationToken cancellationToken)
    {
        // Each upload fails as it would have on its own statement, before its VIM was asked: its message is tried again.
        batch.ForEach(w => w.Written.TrySetException(exception));
        return Task.CompletedTask;
    }

    /// <summary>One target's way, and its answer.</summary>
    public sealed record Way(Guid DistributionId, string VimId, string? Hub, string? Fallback, TaskCompletionSource Written);
}
