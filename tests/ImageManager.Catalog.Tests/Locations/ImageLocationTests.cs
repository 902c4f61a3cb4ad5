using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Locations;

/// <summary>The image-VIM read model, kept from the batches Distribution records (VimImageStatesRecorded) over the real broker, and what it answers.</summary>
public sealed class ImageLocationTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_location_events_arrive_the_latest_state_per_vim_is_kept_stale_ones_are_ignored_and_both_views_answer()
    {
        var image = Guid.Parse((await app.CreateImageAsync($"located-{Guid.NewGuid():N}"))["id"]!.GetValue<string>());
        var vim = $"owner_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(Recorded(
            Changed(image, vim, "active", now.AddSeconds(2), "glance-id"),
            Changed(image, vim, "uploading", now), // in one batch, applied in the order they happened
            Changed(image, "other_vim", "failed", now, error: "503 from Glance")));

        var locations = await Eventually.Get(
            async () => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{image}/locations"))!["locations"]!.AsArray(),
            l => l.Count == 2 && l.Any(x => x!["state"]!.GetValue<string>() == "active"),
            TimeSpan.FromSeconds(30),
            "two locations");
        await bus.Publish(Recorded(Changed(image, vim, "pending", now.AddSeconds(1)))); // older than the row: ignored
        var onVim = await Eventually.Get(
            async () => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/vims/{vim}/images"))!,
            v => v["images"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(30),
            "the image on the VIM");
        Assert.Equal(("active", "glance-id"), (onVim["images"]![0]!["state"]!.GetValue<string>(), onVim["images"]![0]!["vimImageId"]!.GetValue<string>()));
        Assert.Equal("503 from Glance", locations.Single(l => l!["vimId"]!.GetValue<string>() == "other_vim")!["error"]!.GetValue<string>());
        var listed = (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images?onVim={vim}"))!["images"]!.AsArray();
        Assert.Equal([image.ToString()], listed.Select(i => i!["id"]!.GetValue<string>()));
        await Task.Delay(500); // give the stale event time to be (not) applied
        Assert.Equal("active", (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{image}"))!["locations"]!.AsArray()
            .Single(l => l!["vimId"]!.GetValue<string>() == vim)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_many_events_of_one_pair_arrive_at_once_in_any_order_the_latest_wins()
    {
        var image = Guid.Parse((await app.CreateImageAsync($"racing-{Guid.NewGuid():N}"))["id"]!.GetValue<string>());
        var bus = app.Services.GetRequiredService<IBus>();
        var start = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 30).Select(i => Changed(image, "vim_race", i == 29 ? "active" : "verifying", start.AddMilliseconds(i), $"v{i}")).ToList();

        await Task.WhenAll(events.OrderBy(_ => Random.Shared.Next()).Select(e => bus.Publish(Recorded(e))));

        await Task.Delay(TimeSpan.FromSeconds(2)); // every event handled (the consumer runs them concurrently)
        var location = await Eventually.Get(() => Locations(image), l => l.Count == 1, TimeSpan.FromSeconds(30), "the location");
        Assert.Equal(("active", "v29"), (location[0]!["state"]!.GetValue<string>(), location[0]!["vimImageId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_an_image_is_removed_from_a_vim_its_location_goes()
    {
        var image = Guid.Parse((await app.CreateImageAsync($"removed-{Guid.NewGuid():N}"))["id"]!.GetValue<string>());
        var bus = app.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        await bus.Publish(Recorded(Changed(image, "vim_r", "active", now, "x")));
        await Eventually.Get(() => Locations(image), l => l.Count == 1, TimeSpan.FromSeconds(30), "the location");

        await bus.Publish(Recorded(Changed(image, "vim_r", TargetStates.Removed, now.AddSeconds(1))));

        await Eventually.Get(() => Locations(image), l => l.Count == 0, TimeSpan.FromSeconds(30), "no location");
    }

    [Fact]
    public async Task When_the_images_on_a_vim_are_listed_they_come_a_page_at_a_time_in_id_order()
    {
        var vim = $"paged_{Guid.NewGuid():N}";
        var bus = app.Services.GetRequiredService<IBus>();
        var images = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = Guid.Parse((await app.CreateImageAsync($"on-vim-{Guid.NewGuid():N}"))["id"]!.GetValue<string>());
            images.Add(id);
            await bus.Publish(Recorded(Changed(id, vim, "active", DateTimeOffset.UtcNow)));
        }

        await Eventually.Get(async () => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/vims/{vim}/images?limit=100"))!["images"]!.AsArray(),
            l => l.Count == 5, TimeSpan.FromSeconds(30), "five images on the VIM");
        var seen = new List<string>();
        string? marker = null;
        do
        {
            var page = (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/vims/{vim}/images?limit=2" + (marker is null ? "" : $"&marker={marker}")))!;
            seen.AddRange(page["images"]!.AsArray().Select(i => i!["imageId"]!.GetValue<string>()));
            marker = page["next"]?.GetValue<string>();
        }
        while (marker is not null);

        Assert.Equal(images.Select(i => i.ToString()).Order(StringComparer.Ordinal), seen);
    }

    async Task<JsonArray> Locations(Guid image) => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{image}/locations"))!["locations"]!.AsArray();

    static VimImageStatesRecorded Recorded(params VimImageStateChanged[] changes) => new() { Changes = changes };

    static VimImageStateChanged Changed(Guid image, string vim, string state, DateTimeOffset at, string? vimImageId = null, string? error = null) => new()
    {
        DistributionId = Guid.NewGuid(),
        ImageId = image,
        VimId = vim,
        State = state,
        Attempt = 1,
        VimImageId = vimImageId,
        Error = error,
        ChangedAt = at,
    };
}
