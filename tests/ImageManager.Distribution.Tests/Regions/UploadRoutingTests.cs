using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Regions;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Regions;

/// <summary>Which queue each target's upload goes to, chosen from the VIMs and hubs recorded in the real PostgreSQL.</summary>
public sealed class UploadRoutingTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
    HubDirectory _hubs = null!;
    UploadRouting _routing = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _hubs = new HubDirectory(_database.Factory(), Options.Create(new HubOptions { DirectoryRefresh = TimeSpan.Zero }), TimeProvider.System);
        _routing = new UploadRouting(_hubs, _database.Factory());
        var now = DateTimeOffset.UtcNow;
        await using var db = new DistributionDbContext(_database.Options);
        db.Vims.AddRange(
            Vim("north_push", "north", VimUploadModes.Push, now),
            Vim("north_pull", "north", VimUploadModes.WebDownload, now),
            Vim("north_push_2", "north", VimUploadModes.Push, now),
            Vim("south_push", "south", VimUploadModes.Push, now),
            Vim("east_push", "east", VimUploadModes.Push, now),
            Vim("odd_push", "odd region", VimUploadModes.Push, now),
            Vim("nowhere_push", null, VimUploadModes.Push, now));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        _hubs.Dispose();
        await _database.DisposeAsync();
    }

    static readonly string[] Targets = ["north_push", "north_pull", "south_push", "east_push", "odd_push", "nowhere_push", "north_push_2", "unregistered"];

    [Fact]
    public async Task When_no_hub_is_registered_every_upload_goes_to_the_central_queue()
    {
        var route = Assert.Single(await _routing.RouteAsync(Targets, default));

        Assert.Null(route.Region);
        Assert.Equal(Targets, route.VimIds);
        Assert.Equal(new Uri("exchange:upload-image-to-vims"), route.Address);
    }

    [Fact]
    public async Task When_regions_have_hubs_their_push_vims_go_to_their_region_queue_and_every_other_target_stays_central()
    {
        await AddHubAsync("hub-n", "north");
        await AddHubAsync("hub-s", "south");
        await AddHubAsync("hub-odd", "odd region"); // served by a hub, but its name cannot name a queue

        var routes = await _routing.RouteAsync(Targets, default);

        Assert.Equal(
            [
                (null, ["north_pull", "east_push", "odd_push", "nowhere_push", "unregistered"]),
                ("north", ["north_push", "north_push_2"]),
                ("south", (string[])["south_push"]),
            ],
            routes.Select(r => (r.Region, r.VimIds.ToArray())));
        Assert.Equal(
            [
                new Uri("exchange:upload-image-to-vims"),
                new Uri("exchange:upload-image-to-vims.region-north?alternateexchange=upload-image-to-vims"),
                new Uri("exchange:upload-image-to-vims.region-south?alternateexchange=upload-image-to-vims"),
            ],
            routes.Select(r => r.Address));
    }

    [Fact]
    public async Task When_a_hub_stops_serving_a_region_its_vims_go_back_to_the_central_queue()
    {
        await AddHubAsync("hub-n", "north");
        Assert.Contains(await _routing.RouteAsync(["north_push"], default), r => r.Region == "north");

        await using (var db = new DistributionDbContext(_database.Options))
        {
            db.Hubs.Remove(await db.Hubs.FindAsync("hub-n") ?? throw new InvalidOperationException("hub-n is gone"));
            await db.SaveChangesAsync();
        }

        Assert.Null(Assert.Single(await _routing.RouteAsync(["north_push"], default)).Region);
    }

    async Task AddHubAsync(string id, string region)
    {
        await using var db = new DistributionDbContext(_database.Options);
        db.Hubs.Add(new Hub { Id = id, BaseUrl = $"http://127.0.0.1:9/{id}", Regions = [region], CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    static Vim Vim(string id, string? region, string uploadMode, DateTimeOffset now) =>
        new() { Id = id, Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/"), Region = region, UploadMode = uploadMode, CreatedAt = now, UpdatedAt = now };
}
