using System.Text;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;

namespace ImageManager.Catalog.Locations;

/// <summary>
/// Keeps the image-VIM read model: one row per pair, the latest state wins (a change older than the row is stale and
/// ignored, since batches may overtake each other or be handled at the same time), <c>removed</c> deletes the row.
/// Distribution forwards the changes it recorded in batches: one multi-row statement writes a batch, in the order the
/// changes happened, so ten thousand VIMs reporting is a few hundred statements. An image being purged leaves the
/// catalogue when its last location is gone; a removal the VIM refused keeps its location (<c>removal-failed</c>).
/// </summary>
public sealed class VimImageStatesRecordedConsumer(CatalogDbContext db, OutboxSignal outbox, TimeProvider clock) : IConsumer<VimImageStatesRecorded>
{
    public async Task Consume(ConsumeContext<VimImageStatesRecorded> context)
    {
        var messages = context.Message.Changes.OrderBy(m => m.ChangedAt).ToList();
        var imageIds = messages.Select(m => m.ImageId).Distinct().ToList();
        var known = await db.Images.Where(i => imageIds.Contains(i.Id)).Select(i => new { i.Id, i.Status }).ToDictionaryAsync(i => i.Id, i => i.Status, context.CancellationToken);
        messages = messages.Where(m => known.ContainsKey(m.ImageId)).ToList(); // gone from the catalogue: nothing to locate

        await UpsertAsync(messages.Where(m => !ImageLocations.Gone.Contains(m.State)).ToList(), context.CancellationToken);
        foreach (var removed in messages.Where(m => ImageLocations.Gone.Contains(m.State)))
        {
            await db.Locations
                .Where(l => l.ImageId == removed.ImageId && l.VimId == removed.VimId && l.ChangedAt <= removed.ChangedAt)
                .ExecuteDeleteAsync(context.CancellationToken);
        }

        foreach (var imageId in known.Where(i => i.Value == ImageStatuses.Deleting).Select(i => i.Key))
        {
            var image = await db.Images.FirstOrDefaultAsync(i => i.Id == imageId, context.CancellationToken);
            if (image is not null && !await db.Locations.AnyAsync(l => l.ImageId == imageId && ImageLocations.Present.Contains(l.State), context.CancellationToken))
            {
                await ImageRecords.RemoveAsync(db, image, clock.GetUtcNow(), context.CancellationToken);
                outbox.Notify();
            }
        }
    }

    /// <summary>
    /// One atomic statement, not read-then-write: two events of one pair handled at once must not let the older win, nor
    /// both try to insert the row. Columns change only when the event is not older than the row; changed_at is
    /// assigned last, since MariaDB evaluates the assignments in order (and applies the rows of one statement in order).
    /// </summary>
    async Task UpsertAsync(List<VimImageStateChanged> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder("INSERT INTO image_locations (image_id, vim_id, state, vim_image_id, origin, distribution_id, error, changed_at) VALUES ");
        var parameters = new List<MySqlParameter>();
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            sql.Append(i == 0 ? "" : ", ").Append($"(@i{i}, @v{i}, @s{i}, @x{i}, @o{i}, @d{i}, @e{i}, @c{i})");
            parameters.Add(new MySqlParameter($"i{i}", change.ImageId));
            parameters.Add(new MySqlParameter($"v{i}", change.VimId));
            // A removal the VIM refused fails its target, but the copy is still there: the location says so.
            parameters.Add(new MySqlParameter($"s{i}", change.LocationState ?? change.State));
            // Made safe again here: the Distribution service sanitises, but this table is read by people and tools too.
            parameters.Add(new MySqlParameter($"x{i}", OutsideText.Sanitise(change.VimImageId, 255)));
            parameters.Add(new MySqlParameter($"o{i}", change.Origin));
            parameters.Add(new MySqlParameter($"d{i}", change.DistributionId));
            parameters.Add(new MySqlParameter($"e{i}", OutsideText.Sanitise(change.Error, 2048)));
            parameters.Add(new MySqlParameter($"c{i}", change.ChangedAt));
        }

        sql.Append("""

            ON DUPLICATE KEY UPDATE
                state = IF(VALUES(changed_at) >= changed_at, VALUES(state), state),
                vim_image_id = IF(VALUES(changed_at) >= changed_at, COALESCE(VALUES(vim_image_id), vim_image_id), vim_image_id),
                origin = IF(VALUES(changed_at) >= changed_at, COALESCE(VALUES(origin), origin), origin),
                distribution_id = IF(VALUES(changed_at) >= changed_at, VALUES(distribution_id), distribution_id),
                error = IF(VALUES(changed_at) >= changed_at, VALUES(error), error),
                changed_at = GREATEST(changed_at, VALUES(changed_at))
            """);
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }
}
