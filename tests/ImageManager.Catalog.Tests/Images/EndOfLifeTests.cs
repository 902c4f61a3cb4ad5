using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Images;

/// <summary>After its end-of-life day (UTC) an image is no one's latest, and the catalogue says so once.</summary>
public sealed class EndOfLifeTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_a_patch_sets_a_past_end_of_life_it_is_announced_once_and_the_image_is_not_latest()
    {
        var name = $"eol-{Guid.NewGuid():N}";
        var older = await app.CreateValidatedAsync(name, version: "1.0");
        var newer = await app.CreateValidatedAsync(name, version: "2.0");
        Assert.Equal(newer, await Latest(name));
        await using var announcements = await app.ListenAsync<ImageReachedEndOfLife>();

        using (var patched = await app.PatchAsync(newer.ToString(), """{"endOfLife": "2020-06-30"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var announced = await announcements.WaitForAsync(e => e.ImageId == newer, "ImageReachedEndOfLife");
        Assert.Equal(new DateOnly(2020, 6, 30), announced.EndOfLife);
        Assert.Equal(name, announced.Name);
        Assert.Equal(older, await Latest(name));

        // Another past date, and the sweep: still the one announcement.
        using (var again = await app.PatchAsync(newer.ToString(), """{"endOfLife": "2020-01-01"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        await app.Services.GetRequiredService<EndOfLifeSweep>().SweepAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(3)); // let any duplicate reach the listener
        Assert.Single(announcements.Where(e => e.ImageId == newer));
    }

    [Fact]
    public async Task When_the_end_of_life_is_today_the_image_is_still_latest_and_not_announced()
    {
        var name = $"eol-today-{Guid.NewGuid():N}";
        var id = await app.CreateValidatedAsync(name);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

        using var patched = await app.PatchAsync(id.ToString(), $$"""{"endOfLife": "{{today}}"}""");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(id, await Latest(name));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Images.Where(i => i.Id == id).Select(i => i.EndOfLifeAnnouncedAt).SingleAsync());
    }

    [Fact]
    public async Task When_the_end_of_life_day_passes_the_sweep_announces_it_once()
    {
        var id = await app.CreateValidatedAsync($"eol-sweep-{Guid.NewGuid():N}");
        await using var announcements = await app.ListenAsync<ImageReachedEndOfLife>();
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The date was set while it was in the future; the day has since passed.
            await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Images.Where(i => i.Id == id)
                .ExecuteUpdateAsync(set => set.SetProperty(i => i.EndOfLife, yesterday));
        }

        var sweep = app.Services.GetRequiredService<EndOfLifeSweep>();
        Assert.True(await sweep.SweepAsync(CancellationToken.None) >= 1);
        await sweep.SweepAsync(CancellationToken.None);

        var announced = await announcements.WaitForAsync(e => e.ImageId == id, "ImageReachedEndOfLife");
        Assert.Equal(yesterday, announced.EndOfLife);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(announcements.Where(e => e.ImageId == id));
    }

    async Task<Guid?> Latest(string name)
    {
        var list = (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}&version=latest"))!;
        return list["images"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).Cast<Guid?>().SingleOrDefault();
    }
}
