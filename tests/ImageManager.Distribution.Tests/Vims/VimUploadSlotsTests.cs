using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Uploads;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>
/// A VIM's upload limit held by two instances of the slot component on the same PostgreSQL database, as two replicas of
/// the Distribution service hold it; slots are taken as uploads take them, by the reads they start with
/// (<see cref="UploadStartReads"/>).
/// </summary>
public sealed class VimUploadSlotsTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
    readonly List<StartedService<UploadStartReads>> _reads = [];
    readonly Dictionary<VimUploadSlots, UploadStartReads> _readsOf = [];

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var reads in _reads)
        {
            await reads.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    async Task<VimUploadSlots> ReplicaAsync()
    {
        var slots = new VimUploadSlots(_database.Factory(), Options.Create(new DistributionOptions()), NullLogger<VimUploadSlots>.Instance);
        var reads = await new StartedService<UploadStartReads>(new UploadStartReads(_database.Factory(), slots, TimeProvider.System, NullLogger<UploadStartReads>.Instance)).StartAsync();
        _reads.Add(reads);
        _readsOf[slots] = reads.Service;
        return slots;
    }

    /// <summary>A slot of the VIM for an upload starting on <paramref name="replica"/>, within the VIM's limit as registered.</summary>
    async Task<VimUploadLease?> TakeAsync(VimUploadSlots replica, string vimId) =>
        (await _readsOf[replica].ReadAsync(vimId, Guid.NewGuid(), Guid.NewGuid(), CancellationToken.None))?.Lease;

    async Task LimitAsync(string vimId, int limit)
    {
        await using var db = new DistributionDbContext(_database.Options);
        await db.Vims.Where(v => v.Id == vimId).ExecuteUpdateAsync(set => set.SetProperty(v => v.MaxConcurrentUploads, limit));
    }

    async Task<int> HeldAsync(string vimId)
    {
        await using var db = new DistributionDbContext(_database.Options);
        return await db.Set<VimUploadSlot>().CountAsync(s => s.VimId == vimId && s.ExpiresAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task When_two_replicas_take_and_release_slots_of_one_VIM_at_once_the_uploads_in_flight_never_exceed_its_limit()
    {
        const int limit = 3;
        await _database.RegisterVimsAsync(["edge_1"]);
        await LimitAsync("edge_1", limit);
        VimUploadSlots[] replicas = [await ReplicaAsync(), await ReplicaAsync()];
        var inFlight = 0;
        var most = 0;
        var taken = new int[replicas.Length];
        var refused = 0;

        // Eight workers per replica, each taking 25 slots: far more wanting in than the limit lets in at once.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var replica = worker % replicas.Length;
            var slots = replicas[replica];
            for (var (done, tries) = (0, 0); done < 25; tries++)
            {
                Assert.True(tries < 100_000, "a worker never got its slots");
                if (await TakeAsync(slots, "edge_1") is not { } lease)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                Assert.True(await HeldAsync("edge_1") <= limit);
                await Task.Yield();
                Interlocked.Decrement(ref inFlight);
                slots.Release(lease);
                await slots.FlushReleasesAsync(CancellationToken.None);
                Interlocked.Increment(ref taken[replica]);
                done++;
            }
        })));

        Assert.InRange(most, 1, limit);
        Assert.All(taken, count => Assert.Equal(200, count));
        Assert.True(refused > 0, "the limit never turned an upload away: the test did not crowd the VIM");
        Assert.Equal(0, await HeldAsync("edge_1"));
    }

    [Fact]
    public async Task When_a_VIM_is_full_a_second_replica_gets_no_slot_until_one_is_released_and_a_raised_limit_gives_one_at_once()
    {
        await _database.RegisterVimsAsync(["edge_1"]);
        await LimitAsync("edge_1", 2);
        var (first, second) = (await ReplicaAsync(), await ReplicaAsync());

        var leases = new[] { await TakeAsync(first, "edge_1"), await TakeAsync(first, "edge_1") };
        var whileFull = await TakeAsync(second, "edge_1");
        await LimitAsync("edge_1", 3);
        var raised = await TakeAsync(second, "edge_1");
        await LimitAsync("edge_1", 2);
        first.Release(leases[0]!);
        await first.FlushReleasesAsync(CancellationToken.None);
        var afterRelease = await TakeAsync(second, "edge_1");

        Assert.Equal([0, 1], leases.Select(l => l!.Slot));
        Assert.Null(whileFull);
        Assert.Equal(2, raised?.Slot);
        Assert.Equal(0, afterRelease?.Slot);
    }

    [Fact]
    public async Task When_first_slots_are_made_ahead_the_first_upload_takes_the_free_one_a_held_one_stays_held_and_the_limit_holds()
    {
        await _database.RegisterVimsAsync(["edge_1", "edge_2"]);
        await LimitAsync("edge_1", 2);
        await LimitAsync("edge_2", 0);
        var replica = await ReplicaAsync();
        await using var db = new DistributionDbContext(_database.Options);

        await VimUploadSlots.MakeFirstAsync(db, ["edge_1", "edge_2", "not_registered"], CancellationToken.None);
        var made = await db.Set<VimUploadSlot>().AsNoTracking().OrderBy(s => s.VimId).ThenBy(s => s.Slot).ToListAsync();
        var first = await TakeAsync(replica, "edge_1");
        await VimUploadSlots.MakeFirstAsync(db, ["edge_1"], CancellationToken.None); // a second distribution to the same VIM
        var second = await TakeAsync(replica, "edge_1");
        var whileFull = await TakeAsync(replica, "edge_1");

        Assert.Equal([("edge_1", 0, (Guid?)null)], made.Select(s => (s.VimId, s.Slot, s.Holder)));
        Assert.Equal(0, first?.Slot);
        Assert.Equal(1, second?.Slot);
        Assert.Null(whileFull);
        Assert.Equal(2, await HeldAsync("edge_1"));
    }

    [Fact]
    public async Task When_a_replica_dies_holding_a_slot_its_lease_expires_and_another_replica_takes_the_slot_over()
    {
        await _database.RegisterVimsAsync(["edge_1"]);
        await LimitAsync("edge_1", 1);
        var (dead, alive) = (await ReplicaAsync(), await ReplicaAsync());
        await using var db = new DistributionDbContext(_database.Options);
        var held = await TakeAsync(dead, "edge_1");
        var whileHeld = await TakeAsync(alive, "edge_1");

        // The dead replica renews no more: its lease runs out (moved to the past here rather than waited for).
        await db.Database.ExecuteSqlAsync($"UPDATE vim_upload_slots SET expires_at = now() - interval '1 second' WHERE holder = {held!.Holder}");
        var takenOver = await TakeAsync(alive, "edge_1");

        // Should the dead replica's release still arrive, it frees nothing that is not its own.
        dead.Release(held);
        await dead.FlushReleasesAsync(CancellationToken.None);
        var afterLateRelease = await TakeAsync(await ReplicaAsync(), "edge_1");

        Assert.Null(whileHeld);
        Assert.Equal(0, takenOver?.Slot);
        Assert.Null(afterLateRelease);
        Assert.Equal(1, await HeldAsync("edge_1"));
    }

    [Fact]
    public async Task When_a_replica_renews_its_slots_their_leases_are_pushed_back_and_released_ones_are_not()
    {
        await _database.RegisterVimsAsync(["edge_1"]);
        await LimitAsync("edge_1", 2);
        var replica = await ReplicaAsync();
        await using var db = new DistributionDbContext(_database.Options);
        var running = await TakeAsync(replica, "edge_1");
        var finished = await TakeAsync(replica, "edge_1");
        replica.Release(finished!);
        await db.Database.ExecuteSqlAsync($"UPDATE vim_upload_slots SET expires_at = now() + interval '5 seconds'");

        await replica.RenewAsync(CancellationToken.None);

        var rows = await db.Set<VimUploadSlot>().AsNoTracking().OrderBy(s => s.Slot).ToListAsync();
        Assert.True(rows[0].ExpiresAt > DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30), $"renewed until {rows[0].ExpiresAt:O}");
        Assert.True(rows[1].ExpiresAt < DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30), $"released, yet renewed until {rows[1].ExpiresAt:O}");
        Assert.Equal(running!.Holder, rows[0].Holder);
    }

    static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
