using ImageManager.Api.Downstream;
using ImageManager.ServiceDefaults.Access;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>GET /api/v1/images/{id}/file/link</c>: whether a signed download link (its query, as the VIM presented it) opens the
/// image's bytes now, without sending them. A regional hub (an nginx cache, see <c>infra/nginx.sh</c>) asks this through
/// <c>auth_request</c> before every byte it serves, cached or not, so a cached image is never served to a link that is
/// missing, expired or altered, nor once the image is no longer active. 204 yes; 401 the link does not open it; 403 the
/// image is not active (nginx passes only 2xx, 401 and 403 on).
/// </summary>
public static class CheckDownloadLink
{
    public static async Task<IResult> HandleAsync(
        Guid id, HttpContext http, CatalogClient catalog, IOptions<InternalAccessOptions> internalAccess, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (!SignedDownloadUrl.IsValid(id, query[SignedDownloadUrl.ExpiresParameter], query[SignedDownloadUrl.SignatureParameter],
                internalAccess.Value.AllAccepted, clock.GetUtcNow(), query[SignedDownloadUrl.TransferParameter]))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Link refused",
                detail: "The download link is missing, expired or altered (its 'expires' and 'signature' are checked).");
        }

        var image = await catalog.GetImageAsync(id, cancellationToken);
        if (!image.Succeeded && image.StatusCode != StatusCodes.Status404NotFound)
        {
            return Results.Problem(statusCode: image.StatusCode, detail: image.Detail); // the catalogue is unreachable: the hub answers 500, the VIM retries
        }

        if (!image.Succeeded || image.Value!.Status != "active")
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Image not served",
                detail: image.Succeeded ? $"Image {id} is '{image.Value!.Status}'; only an active image's bytes are served." : image.Detail);
        }

        return Results.NoContent();
    }
}
