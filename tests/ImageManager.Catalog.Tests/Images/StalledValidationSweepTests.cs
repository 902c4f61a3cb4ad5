using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Images;

/// <summary>An upload whose ImageUploaded was lost is validated all the same.</summary>
public sealed class StalledValidationSweepTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_an_image_waits_in_validating_too_long_its_upload_is_published_again_once()
    {
        var seen = new ConcurrentQueue<ImageUploaded>();
        var listener = app.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint($"sweep-test-{Guid.NewGuid():N}",
            e => e.Handler<ImageUploaded>(context =>
            {
                seen.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        await listener.Ready;

        var fresh = await CreateValidating("fresh");
        var stalled = await CreateValidating("stalled");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var longAgo = DateTimeOffset.UtcNow.AddHours(-1);
            await db.Images.Where(i => i.Id == stalled).ExecuteUpdateAsync(set => set.SetProperty(i => i.UpdatedAt, longAgo));
        }

        var sweep = app.Services.GetRequiredService<StalledValidationSweep>();
        var first = await sweep.SweepAsync(CancellationToken.None);
        var second = await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(0, second); // republished images wait a whole RevalidateAfter again
        var republished = await ImageManager.Testing.Eventually.Get(
            () => Task.FromResult(seen.Where(e => e.ImageId == stalled).ToList()), list => list.Count > 0, TimeSpan.FromSeconds(30), "the republished upload");
        Assert.Equal((new string('1', 64), 42L), (republished.Single().Sha256, republished.Single().SizeBytes));
        Assert.DoesNotContain(seen, e => e.ImageId == fresh);
        await listener.StopAsync();
    }

    async Task<Guid> CreateValidating(string name)
    {
        using var created = await _http.PostAsJsonAsync("/api/v1/images", new { name = $"{name}-{Guid.NewGuid():N}", version = "1", kind = "software-package" });
        var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        using var uploaded = await _http.PostAsJsonAsync($"/internal/v1/images/{id}/upload-completed", new { sha256 = new string('1', 64), sha512 = new string('2', 128), sizeBytes = 42 });
        uploaded.EnsureSuccessStatusCode();
        return id;
    }
}
