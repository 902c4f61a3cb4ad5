using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Uploads;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Uploads;

/// <summary>The reads uploads start with, made together on the real PostgreSQL: each gets its VIM, its flags and a slot within the VIM's limit.</summary>
public sealed class UploadStartReadsTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
    VimUploadSlots _slots = null!;
    StartedService<UploadStartReads> _running = null!;

    UploadStartReads Reads => _running.Service;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _slots = new VimUploadSlots(_database.Factory(), Options.Create(new DistributionOptions()), NullLogger<VimUploadSlots>.Instance);
        _running = await new StartedService<UploadStartReads>(new UploadStartReads(_database.Factory(), _slots, TimeProvider.System, NullLogger<UploadStartReads>.Instance)).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _running.DisposeAsync();
        _slots.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task When_uploads_start_together_each_gets_its_vim_and_a_slot_below_the_limit_none_while_the_circuit_is_open_and_null_for_an_unknown_vim()
    {
        var now = DateTimeOffset.UtcNow;
        var (wanted, leaving) = ((await _database.AddImageAsync(null)).Id, (await _database.AddImageAsync(null, withdrawnAt: now)).Id);
        await using (var db = new DistributionDbContext(_database.Options))
        {
            db.Vims.AddRange(
                new Vim { Id = "edge_small", Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/"), MaxConcurrentUploads = 2, CreatedAt = now, UpdatedAt = now },
                new Vim { Id = "edge_open", Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/"), CircuitOpenUntil = now.AddHours(1), CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
        }

        var starts = await Task.WhenAll(
            Reads.ReadAsync("edge_small", Guid.NewGuid(), wanted, default),
            Reads.ReadAsync("edge_small", Guid.NewGuid(), wanted, default),
            Reads.ReadAsync("edge_small", Guid.NewGuid(), leaving, default),
            Reads.ReadAsync("edge_open", Guid.NewGuid(), wanted, default),
            Reads.ReadAsync("edge_unknown", Guid.NewGuid(), wanted, default));

        Assert.Equal([("edge_small", false), ("edge_small", false), ("edge_small", true), ("edge_open", false)], starts[..4].Select(s => (s!.Vim.Id, s.Withdrawn)));
        Assert.Equal([0, 1], starts[..3].Where(s => s!.Lease is not null).Select(s => s!.Lease!.Slot).Order()); // three asked, the limit is two
        Assert.Null(starts[3]!.Lease);
        Assert.Null(starts[4]);
        await using var check = new DistributionDbContext(_database.Options);
        Assert.Equal(2, await check.Set<VimUploadSlot>().CountAsync(s => s.VimId == "edge_small" && s.Holder != null));
    }
}
