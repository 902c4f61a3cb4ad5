using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>DELETE /api/v1/images/{id}[?purge=true]</c>: refused while a distribution of the image is open, unless purged (a
/// purge cancels what has not started and removes what was made); otherwise the catalogue decides whether the image may
/// go. Its bytes go too when no other image holds the same (the store is content-addressed, so two images can share one
/// blob). A purge answers 202 while the image is removed from its VIMs; its bytes go when the catalogue's
/// <c>ImageDeleted</c> comes (see <c>ImageDeletedConsumer</c>). A distribution accepted after the check finds the image
/// withdrawn in the Distribution service, which cancels it.
/// </summary>
public static class DeleteImage
{
    public static async Task<IResult> HandleAsync(
        Guid id, CatalogClient catalog, DistributionClient distribution, IBlobStore blobs, CancellationToken cancellationToken, bool purge = false)
    {
        if (!purge && (await distribution.OpenDistributionsAsync(id, cancellationToken)) is [var first, ..] open)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Image being distributed",
                detail: $"Image {id} has {open.Count} open distribution(s): {first.Id} still has {first.OpenTargets} target(s) under way. " +
                        $"Wait for it to complete, cancel it (POST /api/v1/distributions/{first.Id}/cancel), or delete with ?purge=true.");
        }

        var (status, deleted) = await catalog.DeleteImageAsync(id, purge, cancellationToken);
        if (!deleted.Succeeded)
        {
            return Results.Problem(statusCode: deleted.StatusCode, detail: deleted.Detail);
        }

        if (status == StatusCodes.Status202Accepted)
        {
            return Results.Json(deleted.Value, statusCode: StatusCodes.Status202Accepted);
        }

        if (deleted.Value!["sha256"]?.GetValue<string>() is { } sha256 && deleted.Value["bytesStillUsed"]?.GetValue<bool>() == false)
        {
            await blobs.DeleteAsync(sha256, cancellationToken);
        }

        return Results.NoContent();
    }
}
