using System.Globalization;
using ImageManager.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;
using ImageManager.Contracts.Audit;

namespace ImageManager.Catalog.Audit;

/// <summary><c>GET /api/v1/audit</c>: the trail newest first, filtered, in keyset pages (the marker is the last record's time and id).</summary>
public static class AuditEndpoints
{
    const int DefaultLimit = 100;
    const int MaxLimit = 1000;

    public static WebApplication MapAuditEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/audit", ListAsync);
        return app;
    }

    static async Task<IResult> ListAsync(
        CatalogDbContext db, CancellationToken cancellationToken, string? caller = null, string? tenant = null, string? action = null,
        string? resourceId = null, string? outcome = null, DateTimeOffset? since = null, DateTimeOffset? until = null, int? limit = null,
        string? marker = null)
    {
        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            return Invalid("limit", $"limit is a whole number from 1 to {MaxLimit}.");
        }

        var records = db.AuditRecords.AsNoTracking();
        if (marker is not null)
        {
            var parts = marker.Split('_');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(parts[1], out var lastId)
                || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return Invalid("marker", "marker is the 'next' value of the previous page, as it is.");
            }

            var lastAt = new DateTimeOffset(ticks, TimeSpan.Zero);
            records = records.Where(r => r.At < lastAt || (r.At == lastAt && r.Id.CompareTo(lastId) < 0));
        }

        records = caller is null ? records : records.Where(r => r.Caller == caller);
        records = tenant is null ? records : records.Where(r => r.Tenant == tenant);
        records = action is null ? records : records.Where(r => r.Action == action);
        records = resourceId is null ? records : records.Where(r => r.ResourceId == resourceId);
        records = outcome is null ? records : records.Where(r => r.Outcome == outcome);
        records = since is null ? records : records.Where(r => r.At >= since);
        records = until is null ? records : records.Where(r => r.At < until);

        var page = await records.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? $"{page[pageSize - 1].At.UtcTicks}_{page[pageSize - 1].Id:N}" : null;
        return Results.Ok(new AuditPageResource(page.Take(pageSize).Select(AuditRecordResource.From).ToList(), next));
    }

    static IResult Invalid(string field, string detail) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail);
}
