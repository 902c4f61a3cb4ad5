using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>DELETE /api/v1/images/{id}</c>: the catalogue decides whether the image may go; its bytes go too when no other
/// image holds the same (the store is content-addressed, so two images can share one blob).
/// </summary>
public static class DeleteImage
{
    public static async Task<IResult> HandleAsync(Guid id, CatalogClient catalog, IBlobStore blobs, CancellationToken cancellationToken)
    {
        var deleted = await catalog.DeleteImageAsync(id, cancellationToken);
        if (!deleted.Succeeded)
        {
            return Results.Problem(statusCode: deleted.StatusCode, detail: deleted.Detail);
        }

        if (deleted.Value!["sha256"]?.GetValue<string>() is { } sha256 && deleted.Value["bytesStillUsed"]?.GetValue<bool>() == false)
        {
            blobs.Delete(sha256);
        }

        return Results.NoContent();
    }
}
