using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Outbox;

/// <summary>The catalogue's outbox emptied by several dispatchers at once on one MariaDB, as replicas of the Catalog empty it.</summary>
public sealed class OutboxDispatcherReplicaTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    [Fact]
    public async Task When_three_dispatchers_empty_the_outbox_at_once_each_message_is_published_once()
    {
        const int messages = 300;
        await using var seen = await app.ListenAsync<ImageUpdated>();
        var ids = Enumerable.Range(0, messages).Select(_ => Guid.NewGuid()).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Outbox.AddRange(ids.Select(id => OutboxMessage.For(
                new ImageUpdated { ImageId = id, Kind = "vm-image", Name = "replicas", Version = "1", ChangedFields = ["tags"], Revision = 2, UpdatedAt = now }, now)));
            await db.SaveChangesAsync();
        }

        // The service's own dispatcher runs too: three in all.
        OutboxDispatcher[] replicas = [ActivatorUtilities.CreateInstance<OutboxDispatcher>(app.Services), ActivatorUtilities.CreateInstance<OutboxDispatcher>(app.Services)];
        await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            for (var batch = 0; batch < messages && await replica.DispatchAsync(CancellationToken.None) > 0; batch++)
            {
            }
        })));

        await Eventually.Get(() => Task.FromResult(seen.Where(e => ids.Contains(e.ImageId)).Select(e => e.ImageId).Distinct().Count()),
            count => count == messages, TimeSpan.FromSeconds(60), "every message published");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // Every row is gone, so every publish is done (each happens before its row's delete commits).
            await Eventually.Get(() => scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Outbox.CountAsync(), count => count == 0, TimeSpan.FromSeconds(30), "the outbox emptied");
        }

        Assert.Equal(messages, seen.Where(e => ids.Contains(e.ImageId)).Count);
    }

    [Fact]
    public async Task When_a_dispatcher_dies_holding_a_claim_its_messages_go_out_once_the_claim_runs_out_and_not_before()
    {
        await using var seen = await app.ListenAsync<ImageUpdated>();
        var (expired, live) = (Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        OutboxMessage Claimed(Guid imageId, DateTimeOffset until)
        {
            var message = OutboxMessage.For(new ImageUpdated { ImageId = imageId, Kind = "vm-image", Name = "claims", Version = "1", ChangedFields = ["tags"], Revision = 2, UpdatedAt = now }, now);
            (message.ClaimedBy, message.ClaimedUntil) = (Guid.NewGuid(), until);
            return message;
        }

        db.Outbox.AddRange(Claimed(expired, now.AddMinutes(-1)), Claimed(live, now.AddHours(1)));
        await db.SaveChangesAsync();

        await ActivatorUtilities.CreateInstance<OutboxDispatcher>(app.Services).DispatchAsync(CancellationToken.None);

        await seen.WaitForAsync(e => e.ImageId == expired, "the message whose claim ran out");
        var left = await Eventually.Get(
            () => db.Outbox.AsNoTracking().Where(m => m.Body.Contains(live.ToString()) || m.Body.Contains(expired.ToString())).ToListAsync(),
            rows => rows.Count == 1, TimeSpan.FromSeconds(30), "the published message removed");
        Assert.Equal(live, System.Text.Json.JsonSerializer.Deserialize<ImageUpdated>(Assert.Single(left).Body)!.ImageId);
        await db.Outbox.Where(m => m.Id == left[0].Id).ExecuteDeleteAsync();
        Assert.Empty(seen.Where(e => e.ImageId == live));
    }
}
