using ImageManager.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>
/// The answer to a write on an image that another request changed or deleted between this one's read and its save (the
/// revision is the concurrency token; a tag or property of a deleted image breaks its foreign key): 404 when the image is
/// gone, 409 when it is there but changed. Never a 500: the caller did nothing wrong and can act on it.
/// </summary>
public static class RacedWrite
{
    public static async Task<IResult> AnswerAsync(CatalogDbContext db, Guid id, string doing)
    {
        db.ChangeTracker.Clear();
        return await db.Images.AnyAsync(i => i.Id == id, CancellationToken.None)
            ? ImageEndpoints.Conflict($"Image {id} was changed by another request while it was being {doing}; read it again and retry.")
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Image not found",
                detail: $"Image {id} was deleted by another request while it was being {doing}.");
    }
}
