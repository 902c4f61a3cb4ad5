using ImageManager.Api.Budgets;
using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;
using ImageManager.ServiceDefaults.Access;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>GET /api/v1/images/{id}/file</c>: the bytes of an <c>active</c> image, streamed from the blob store with HTTP
/// Range support (a VIM or client resumes a broken download, or fetches parts in parallel). The strong ETag is the
/// SHA-256, so <c>If-Range</c> and caches know the bytes can never change. Bytes that did not pass validation are
/// never served. A signed link made for a target's pull names that target: its bytes are counted as they go
/// (<see cref="ServedBytes"/>), so the target shows its progress while the VIM downloads. Every download is paced by the
/// bandwidth budgets (<see cref="PullBudgets"/>): a pulling VIM at its share of its cap, all at their share of the uplink.
/// </summary>
public static class DownloadImageFile
{
    public static async Task<IResult> HandleAsync(
        Guid id, HttpContext http, CatalogClient catalog, IBlobStore blobs, IOptions<InternalAccessOptions> internalAccess, ServedBytes served,
        PullBudgets budgets, TimeProvider clock, CancellationToken cancellationToken)
    {
        DownloadTransfer? transfer = null;

        // A caller with credentials needs the viewer role; one without (a VIM pulling by web-download) needs a signed link.
        if (http.User.Identity?.IsAuthenticated == true)
        {
            if (!http.User.IsInRole(CallerRoles.Viewer))
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Downloading an image needs the role 'viewer'.");
            }
        }
        else if (SignedDownloadUrl.IsValid(id, http.Request.Query[SignedDownloadUrl.ExpiresParameter], http.Request.Query[SignedDownloadUrl.SignatureParameter],
                     internalAccess.Value.AllAccepted, clock.GetUtcNow(), http.Request.Query[SignedDownloadUrl.TransferParameter]))
        {
            transfer = DownloadTransfer.Parse(http.Request.Query[SignedDownloadUrl.TransferParameter]);
        }
        else
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required",
                detail: "Send credentials, or follow a download link that Image Manager signed (the link's expiry and signature are checked; this one is missing, expired or altered).");
        }

        var image = await catalog.GetImageAsync(id, cancellationToken);
        if (!image.Succeeded)
        {
            return Results.Problem(statusCode: image.StatusCode, detail: image.Detail);
        }

        var view = image.Value!;
        if (view.Status != "active" || view.Sha256 is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Image not active",
                detail: $"Image {id} is '{view.Status}'; only an active image's bytes are served.");
        }

        var content = await blobs.OpenReadAsync(view.Sha256, cancellationToken);
        if (content is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Bytes missing",
                detail: $"The bytes of image {id} (sha256 {view.Sha256}) are missing from the blob store.");
        }

        if (transfer is not null)
        {
            content = served.Count(transfer, content);
        }

        content = budgets.Pace(content, transfer?.VimId);

        return Results.Stream(content, "application/octet-stream", $"{view.Name}-{view.Version}.{view.DiskFormat ?? "bin"}",
            entityTag: new EntityTagHeaderValue($"\"{view.Sha256}\""), enableRangeProcessing: true);
    }
}
