using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary><c>GET /images/counts</c>: the images the caller sees by status, and their failed and drifted locations, in grouped queries.</summary>
public static class ImageCounts
{
    public static async Task<IResult> GetAsync(HttpRequest request, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var visible = db.Images.AsNoTracking().VisibleTo(db, ForwardedCaller.From(request));
        var byStatus = await visible.GroupBy(i => i.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        string[] troubled = [TargetStates.Failed, TargetStates.Drifted];
        var locations = await db.Locations.AsNoTracking()
            .Where(l => troubled.Contains(l.State) && visible.Any(i => i.Id == l.ImageId))
            .GroupBy(l => l.State).Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, cancellationToken);
        return Results.Ok(new ImageCountsResource(byStatus.Values.Sum(), byStatus,
            locations.GetValueOrDefault(TargetStates.Failed), locations.GetValueOrDefault(TargetStates.Drifted)));
    }
}
