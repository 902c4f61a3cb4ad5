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
}
