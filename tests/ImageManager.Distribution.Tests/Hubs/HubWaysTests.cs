using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageManager.Distribution.Tests.Hubs;

/// <summary>The ways of pulling targets (through a hub or not, and why) written together on the real PostgreSQL.</summary>
public sealed class HubWaysTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>
{
    [Fact]
    public async Task When_many_targets_are_routed_at_once_each_row_gets_its_own_way_and_a_target_routed_twice_keeps_the_last()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var vims = Enumerable.Range(0, 200).Select(i => $"edge-{run}-{i:000}").ToList();
        var id = await database.AddDistributionAsync(vims.Select(v => (v, TargetStates.Uploading, 1)));
        var other = await database.AddDistributionAsync([($"edge-{run}-other", TargetStates.Uploading, 1)]);
        await using var running = await new StartedService<HubWays>(new HubWays(database.Factory(), NullLogger<HubWays>.Instance)).StartAsync();

        await Task.WhenAll(vims.Select((vim, i) => i % 4 == 0
            ? running.Service.RecordAsync(id, vim, null, $"hub 'north' was unhealthy at attempt 1 ({i})", CancellationToken.None)
            : running.Service.RecordAsync(id, vim, "north", null, CancellationToken.None)));
        await running.Service.RecordAsync(id, vims[1], null, "the pull through hub 'north' failed (attempt 1)", CancellationToken.None);

        await using var db = new DistributionDbContext(database.Options);
        var rows = await db.Targets.AsNoTracking().Where(t => t.DistributionId == id).ToDictionaryAsync(t => t.VimId, t => (t.Hub, t.HubFallback));
        Assert.All(vims.Select((vim, i) => (vim, i)).Where(x => x.i != 1), x => Assert.Equal(
            x.i % 4 == 0 ? (null, $"hub 'north' was unhealthy at attempt 1 ({x.i})") : ("north", null), rows[x.vim]));
        Assert.Equal((null, "the pull through hub 'north' failed (attempt 1)"), rows[vims[1]]);
        Assert.Equal((null, null), await db.Targets.AsNoTracking().Where(t => t.DistributionId == other).Select(t => new ValueTuple<string?, string?>(t.Hub, t.HubFallback)).SingleAsync());
    }
}
