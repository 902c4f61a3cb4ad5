using ImageManager.Catalog.Images;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;
using ImageManager.Contracts.Locations;

namespace ImageManager.Catalog.Locations;

/// <summary>
/// The image-VIM read model over HTTP: <c>GET /images/{id}/locations</c> (which VIMs have image X) and
/// <c>GET /vims/{vimId}/images</c> (which images are on VIM Y, paged by image id).
/// </summary>
public static class ImageLocations
{
    /// <summary>
    /// States in which the VIM holds, or may already hold, the image's bytes: such an image cannot simply be deleted.
    /// A drifted image may still be there in some form (other bytes, not active), so a purge removes it too.
    /// </summary>
    public static readonly string[] Present =
        [TargetStates.Uploading, TargetStates.Verifying, TargetStates.Active, TargetStates.Skipped, TargetStates.Removing, TargetStates.Drifted, LocationStates.RemovalFailed,
         TargetStates.Deactivating, TargetStates.Deactivated, LocationStates.NotDeactivated];

    /// <summary>The image no longer relies on a copy there: the location goes.</summary>
    public static readonly string[] Gone = [TargetStates.Removed, TargetStates.Released];

    public static async Task<IResult> OfImageAsync(Guid id, HttpRequest http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Images.Where(i => i.Id == id).VisibleTo(db, ForwardedCaller.From(http)).AnyAsync(cancellationToken))
        {
            return ImageEndpoints.NotFound(id);
        }

        var locations = await db.Locations.AsNoTracking().Where(l => l.ImageId == id).OrderBy(l => l.VimId).ToListAsync(cancellationToken);
        return Results.Ok(new ImageLocationsResource(id, locations.Select(LocationResource.From).ToList()));
    }

    public static async Task<IResult> OnVimAsync(
        string vimId, HttpRequest http, CatalogDbContext db, CancellationToken cancellationToken, int? limit = null, Guid? marker = null, string? state = null)
    {
        var pageSize = limit ?? ImageListQuery.DefaultLimit;
        if (pageSize is < 1 or > ImageListQuery.MaxLimit)
        {
            var detail = $"limit is a whole number from 1 to {ImageListQuery.MaxLimit}.";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [detail] }, detail: detail);
        }

        var page = await OnVimQuery(db, vimId, pageSize, marker, state, ForwardedCaller.From(http)).ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? page[pageSize - 1].ImageId : (Guid?)null;
        return Results.Ok(new VimImagesResource(vimId, page.Take(pageSize).ToList(), next));
    }

    /// <summary>One page (and one row more) of the images on a VIM, by image id: a range scan of the (vim_id, image_id) index.</summary>
    public static IQueryable<ImageOnVim> OnVimQuery(CatalogDbContext db, string vimId, int pageSize, Guid? marker, string? state, ForwardedCaller? caller = null)
    {
        var locations = db.Locations.AsNoTracking().Where(l => l.VimId == vimId);
        if (caller is { SeesEveryTenant: false })
        {
            // Before the page is cut, so that a page is full whenever more visible images follow.
            var visible = db.Images.VisibleTo(db, caller);
            locations = locations.Where(l => visible.Any(i => i.Id == l.ImageId));
        }

        if (state is not null)
        {
            locations = locations.Where(l => l.State == state);
        }

        if (marker is { } after)
        {
            locations = locations.Where(l => l.ImageId.CompareTo(after) > 0);
        }

        return locations
            .OrderBy(l => l.ImageId)
            .Take(pageSize + 1)
            .Join(db.Images, l => l.ImageId, i => i.Id, (l, i) => new ImageOnVim(l.ImageId, i.Kind, i.Name, i.Version, i.Status, l.State, l.VimImageId, l.Error, l.ChangedAt));
    }
}
