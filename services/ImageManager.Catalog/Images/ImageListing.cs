using System.Linq.Expressions;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>
/// Runs an <see cref="ImageListQuery"/>: the filters, then keyset paging in the requested order with the id as the
/// last key (so that the order is total and a page boundary never drops or repeats a row, whatever changes meanwhile).
/// </summary>
public static class ImageListing
{
    public static async Task<(List<CatalogImage> Page, string? Next)> RunAsync(
        CatalogDbContext db, ImageListQuery query, ForwardedCaller? caller, TimeProvider clock, CancellationToken cancellationToken)
    {
        var page = await (await PageQueryAsync(db, query, caller, clock, cancellationToken)).ToListAsync(cancellationToken);
        var next = (string?)null;
        if (page.Count > query.Limit)
        {
            page.RemoveAt(page.Count - 1);
            var last = page[^1];
            next = new ListMarker(query.Order, query.Sort.Select(key => ListMarker.Format(key.Field.Read.DynamicInvoke(last))).ToList(), last.Id).Encode();
        }

        // Tags and properties by the page's ids: an Include would run the whole filtered, sorted query again for each.
        var ids = page.Select(i => i.Id).ToList();
        var tags = (await db.Tags.AsNoTracking().Where(t => ids.Contains(t.ImageId)).ToListAsync(cancellationToken)).ToLookup(t => t.ImageId);
        var properties = (await db.Properties.AsNoTracking().Where(p => ids.Contains(p.ImageId)).ToListAsync(cancellationToken)).ToLookup(p => p.ImageId);
        var shares = (await db.Shares.AsNoTracking().Where(s => ids.Contains(s.ImageId)).ToListAsync(cancellationToken)).ToLookup(s => s.ImageId);
        foreach (var image in page)
        {
            image.Tags = [.. tags[image.Id]];
            image.Properties = [.. properties[image.Id]];
            image.Shares = [.. shares[image.Id]];
        }

        return (page, next);
    }

    /// <summary>The page's query: filtered, after the marker, ordered, one row more than the page (to know whether another follows).</summary>
    public static async Task<IQueryable<CatalogImage>> PageQueryAsync(
        CatalogDbContext db, ImageListQuery query, ForwardedCaller? caller, TimeProvider clock, CancellationToken cancellationToken)
    {
        // What the caller may not see is not there: filters, 'latest' and paging all run on the visible images.
        var images = Filter(db, query).VisibleTo(db, caller);
        if (query.Latest)
        {
            // Past its end of life (the day after endOfLife, UTC) or no longer trusted, an image is no one's latest: it
            // would be refused for distribution anyway.
            var today = ImageEndOfLife.Today(clock);
            var candidates = await images
                .Where(i => i.Status == ImageStatuses.Active && !i.ExcludeFromLatest && (i.EndOfLife == null || i.EndOfLife >= today) && i.TrustWithdrawnAt == null)
                .Select(i => new { i.Id, i.Version, i.CreatedAt, i.Owner })
                .ToListAsync(cancellationToken);

            // Names are unique per tenant (ImageNames): the latest is one tenant's, the caller's own when it has one.
            var owners = candidates.Select(c => c.Owner ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (owners.Count > 1)
            {
                var own = caller?.Tenant is { } tenant && owners.Contains(tenant) ? tenant
                    : throw new LatestOwnerAmbiguousException(owners);
                candidates = candidates.Where(c => c.Owner == own).ToList();
            }

            var latest = LatestVersion.Choose(candidates.Select(c => (c.Id, c.Version, c.CreatedAt)).ToList());
            images = images.Where(i => i.Id == latest);
        }

        // The id breaks ties in the direction of the last key, so that an order on one index column runs along the
        // (column, id) index in either direction instead of sorting.
        var keys = query.Sort.Select(key => (key.Field, key.Descending)).Append((Field: SortField.Id, Descending: query.Sort[^1].Descending)).ToList();
        if (query.Marker is { } marker)
        {
            var values = marker.Values.Select((text, i) => ListMarker.Parse(text, keys[i].Field.Type)!).Append(marker.Id).ToList();
            images = images.Where(After(keys, values));
        }

        return Order(images, keys).Take(query.Limit + 1);
    }

    static IQueryable<CatalogImage> Filter(CatalogDbContext db, ImageListQuery query)
    {
        var images = db.Images.AsNoTracking();
        if (query.Kind is { } kind)
        {
            images = images.Where(i => i.Kind == kind);
        }

        if (query.Name is { } name)
        {
            images = images.Where(i => i.Name == name);
        }

        if (query.NamePrefix is { } prefix)
        {
            images = images.Where(i => i.Name.StartsWith(prefix));
        }

        if (query.Version is { } version)
        {
            images = images.Where(i => i.Version == version);
        }

        if (query.Vendor is { } vendor)
        {
            images = images.Where(i => i.Vendor == vendor);
        }

        if (query.Status is { } status)
        {
            images = images.Where(i => i.Status == status);
        }

        if (query.Visibility is { } visibility)
        {
            images = images.Where(i => i.Visibility == visibility);
        }

        if (query.Owner is { } owner)
        {
            images = images.Where(i => i.Owner == owner);
        }

        if (query.PackageId is { } packageId)
        {
            images = images.Where(i => i.PackageId == packageId);
        }

        foreach (var tag in query.Tags)
        {
            images = images.Where(i => db.Tags.Any(t => t.ImageId == i.Id && t.Tag == tag));
        }

        foreach (var (key, value) in query.Properties)
        {
            images = images.Where(i => db.Properties.Any(p => p.ImageId == i.Id && p.Key == key && p.Value == value));
        }

        if (query.OnVim is { } vimId)
        {
            // Present: uploaded (active) or found there already by ensure-present (skipped); GET /vims/{id}/images lists the same.
            images = images.Where(i => db.Locations.Any(l => l.ImageId == i.Id && l.VimId == vimId && (l.State == TargetStates.Active || l.State == TargetStates.Skipped)));
        }

        if (query.CreatedAfter is { } createdAfter)
        {
            images = images.Where(i => i.CreatedAt >= createdAfter);
        }

        if (query.CreatedBefore is { } createdBefore)
        {
            images = images.Where(i => i.CreatedAt < createdBefore);
        }

        if (query.UpdatedAfter is { } updatedAfter)
        {
            images = images.Where(i => i.UpdatedAt >= updatedAfter);
        }

        if (query.UpdatedBefore is { } updatedBefore)
        {
            images = images.Where(i => i.UpdatedAt < updatedBefore);
        }

        return images;
    }

    static IQueryable<CatalogImage> Order(IQueryable<CatalogImage> images, List<(SortField Field, bool Descending)> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            var (field, descending) = keys[i];
            var method = (i == 0, descending) switch
            {
                (true, false) => nameof(Queryable.OrderBy),
                (true, true) => nameof(Queryable.OrderByDescending),
                (false, false) => nameof(Queryable.ThenBy),
                (false, true) => nameof(Queryable.ThenByDescending),
            };
            images = images.Provider.CreateQuery<CatalogImage>(
                Expression.Call(typeof(Queryable), method, [typeof(CatalogImage), field.Type], images.Expression, Expression.Quote(field.Selector)));
        }

        return images;
    }

    /// <summary>
    /// Rows after the marker in this order: (k1 after v1) or (k1 = v1 and k2 after v2) or …, "after" being greater
    /// for ascending keys and less for descending ones. Values travel as query parameters, not literals.
    /// </summary>
    static Expression<Func<CatalogImage, bool>> After(List<(SortField Field, bool Descending)> keys, List<object> values)
    {
        var row = Expression.Parameter(typeof(CatalogImage), "i");
        Expression? any = null;
        for (var j = 0; j < keys.Count; j++)
        {
            Expression all = Compare(keys[j].Field, row, values[j], keys[j].Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
            for (var i = j - 1; i >= 0; i--)
            {
                all = Expression.AndAlso(Compare(keys[i].Field, row, values[i], ExpressionType.Equal), all);
            }

            any = any is null ? all : Expression.OrElse(any, all);
        }

        return Expression.Lambda<Func<CatalogImage, bool>>(any!, row);
    }

    static Expression Compare(SortField field, ParameterExpression row, object value, ExpressionType comparison)
    {
        var column = new ParameterSwap(field.Selector.Parameters[0], row).Visit(field.Selector.Body);
        var holder = Activator.CreateInstance(typeof(QueryValue<>).MakeGenericType(field.Type), value)!;
        var parameter = Expression.Property(Expression.Constant(holder), "Value");
        if (comparison == ExpressionType.Equal)
        {
            return Expression.Equal(column, parameter);
        }

        var zero = Expression.Constant(0);
        if (field.Type == typeof(string))
        {
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, column, parameter);
            return Expression.MakeBinary(comparison, compare, zero);
        }

        if (field.Type == typeof(Guid))
        {
            var compare = Expression.Call(column, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, parameter);
            return Expression.MakeBinary(comparison, compare, zero);
        }

        return Expression.MakeBinary(comparison, column, parameter);
    }

    sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
