using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Uploads;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ImageManager.Distribution.Tests.Uploads;

/// <summary>
/// The bytes of uploads in flight written to their targets' rows on the real PostgreSQL, as replicas of the Distribution
/// flush them (<see cref="SentBytes"/>) and as the Api's reports of pulled bytes are written (<see cref="TargetBytesUpdate"/>).
/// </summary>
public sealed class SentBytesTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>
{
    SentBytes Replica() => new(database.Factory(), TimeProvider.System, NullLogger<SentBytes>.Instance);

    [Fact]
    public async Task When_many_uploads_counts_are_flushed_only_targets_uploading_in_that_attempt_take_them_and_an_unmoved_count_is_not_written_again()
    {
        var id = await database.AddDistributionAsync(
            Enumerable.Range(0, 500).Select(i => ($"up-{i:000}", TargetStates.Uploading, 1))
                .Append(("verifying", TargetStates.Verifying, 1)).Append(("active", TargetStates.Active, 1)).Append(("later", TargetStates.Uploading, 2))
                .Append(("not-yet", TargetStates.Pending, 0)));
        var replica = Replica();
        var counts = (await RowsAsync(id)).Keys.ToDictionary(vim => vim, vim => replica.Start(id, vim, 1));
        foreach (var (vim, count) in counts)
        {
            count.Add(1000 + vim.Length);
        }

        await replica.FlushAsync(CancellationToken.None);
        var first = await RowsAsync(id);
        await replica.FlushAsync(CancellationToken.None);
        var unmoved = await RowsAsync(id);
        counts["not-yet"].Add(1); // its 'uploading' has reached the row meanwhile: the next flush writes it
        await SetAsync(id, "not-yet", TargetStates.Uploading, 1);
        await replica.FlushAsync(CancellationToken.None);

        Assert.All(first.Where(r => r.Key.StartsWith("up-", StringComparison.Ordinal)), r => Assert.Equal(1000 + r.Key.Length, r.Value.BytesSent));
        Assert.All(["verifying", "active", "later", "not-yet"], vim => Assert.Equal((0L, DistributionDatabase.SeedTime), (first[vim].BytesSent, first[vim].UpdatedAt)));
        Assert.Equal(first.Select(r => (r.Key, r.Value.UpdatedAt)), unmoved.Select(r => (r.Key, r.Value.UpdatedAt)));
        Assert.Equal(1000 + "not-yet".Length + 1, (await RowsAsync(id))["not-yet"].BytesSent);
    }

    [Fact]
    public async Task When_a_run_starts_again_in_the_same_attempt_its_first_flush_replaces_the_count_a_dead_run_left()
    {
        var id = await database.AddDistributionAsync([("edge", TargetStates.Uploading, 1)]);
        var dead = Replica();
        dead.Start(id, "edge", 1).Add(5_000_000);
        await dead.FlushAsync(CancellationToken.None);

        var next = Replica();
        next.Start(id, "edge", 1);
        await next.FlushAsync(CancellationToken.None);
        var restarted = (await RowsAsync(id))["edge"].BytesSent;

        Assert.Equal(0, restarted);
    }

    [Fact]
    public async Task When_an_upload_stops_counting_its_later_bytes_are_never_written()
    {
        var id = await database.AddDistributionAsync([("edge", TargetStates.Uploading, 1)]);
        var replica = Replica();
        var count = replica.Start(id, "edge", 1);
        count.Add(1024);
        await replica.FlushAsync(CancellationToken.None);
        replica.Stop(count);
        count.Add(4096);
        await replica.FlushAsync(CancellationToken.None);

        Assert.Equal(1024, (await RowsAsync(id))["edge"].BytesSent);
    }

    [Fact]
    public async Task When_a_flush_is_done_the_pooled_context_it_used_goes_back_without_a_database_connection()
    {
        var id = await database.AddDistributionAsync([("edge", TargetStates.Uploading, 1)]);
        var contexts = database.Factory();
        var replica = new SentBytes(contexts, TimeProvider.System, NullLogger<SentBytes>.Instance);
        replica.Start(id, "edge", 1).Add(1);
        await replica.FlushAsync(CancellationToken.None);

        // The next to take that context from the pool (an upload, for its whole length) would otherwise hold the connection.
        await using var next = await contexts.CreateDbContextAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, next.Database.GetDbConnection().State);
        Assert.Equal(1, (await RowsAsync(id))["edge"].BytesSent);
    }

    [Fact]
    public async Task When_reports_of_pulled_bytes_cross_a_lower_count_never_replaces_a_higher_one()
    {
        var id = await database.AddDistributionAsync([("edge", TargetStates.Uploading, 1)]);

        await WriteForwardAsync(new TargetBytes { DistributionId = id, VimId = "edge", Attempt = 1, Bytes = 9000, BytesPerSecond = 3000 });
        await WriteForwardAsync(new TargetBytes { DistributionId = id, VimId = "edge", Attempt = 1, Bytes = 6000, BytesPerSecond = 3000 });
        await WriteForwardAsync(new TargetBytes { DistributionId = id, VimId = "edge", Attempt = 0, Bytes = 99_000 }); // another attempt's link

        var row = (await RowsAsync(id))["edge"];
        Assert.Equal((9000L, 3000.0), (row.BytesSent, row.BytesPerSecond));
    }

    /// <summary>The time every target of a test distribution is created and last updated with, until a flush writes it.</summary>

    async Task SetAsync(Guid id, string vim, string state, int attempt)
    {
        await using var db = new DistributionDbContext(database.Options);
        await db.Targets.Where(t => t.DistributionId == id && t.VimId == vim)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.State, state).SetProperty(x => x.Attempt, attempt));
    }

    async Task<Dictionary<string, DistributionTarget>> RowsAsync(Guid id)
    {
        await using var db = new DistributionDbContext(database.Options);
        return await db.Targets.AsNoTracking().Where(t => t.DistributionId == id).OrderBy(t => t.VimId).ToDictionaryAsync(t => t.VimId);
    }

    async Task WriteForwardAsync(TargetBytes bytes)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await TargetBytesUpdate.WriteAsync(connection, [bytes], onlyForward: true, DateTimeOffset.UtcNow, CancellationToken.None);
    }
}
