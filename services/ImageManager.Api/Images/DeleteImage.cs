using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>DELETE /api/v1/images/{id}[?purge=true]</c>: the catalogue decides whether the image may go; its bytes go too
/// when no other image holds the same (the store is content-addressed, so two images can share one blob). A purge
/// answers 202 while the image is removed from its VIMs; its bytes go when the catalogue's <c>ImageDeleted</c> comes
/// (see <c>ImageDeletedConsumer</c>).
/// </summary>
public static class DeleteImage
{
    public static async Task<IResult> HandleAsync(Guid id, CatalogClient catalog, IBlobStore blobs, CancellationToken cancellationToken, bool purge = false)
    {
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
            blobs.Delete(sha256);
        }

        return Results.NoContent();
    }
}
