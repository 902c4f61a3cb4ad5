using System.Security.Claims;
using System.Text.Json.Nodes;
using ImageManager.Api.Access;
using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Access;
using MassTransit;

namespace ImageManager.Api.Images;

/// <summary>
/// The last step of every way bytes come in (upload, resumable upload, import): record the checksums in the
/// catalogue (queued → validating, once), then publish <see cref="ImageUploaded"/>.
/// </summary>
public static class ImageUploadCompletion
{
    /// <summary>The catalogue's answer: the image, now validating, or its refusal (409 when the image got its bytes another way).</summary>
    public static async Task<DownstreamAnswer<JsonObject>> RecordAndPublishAsync(
        CatalogImageView image, StoredBlob blob, string uploadedBy, CatalogClient catalog, IPublishEndpoint bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var recorded = await catalog.RecordUploadAsync(image.Id, blob, uploadedBy, cancellationToken);
        if (!recorded.Succeeded)
        {
            // Lost a race with another upload of the same image: the blob stays, addressed by content, for whoever has these bytes.
            return recorded;
        }

        await PublishUploadedAsync(image, blob, catalog, bus, clock, cancellationToken);
        return recorded;
    }

    /// <summary>
    /// Asks for validation of the bytes the catalogue recorded for <paramref name="image"/>. Validation is idempotent and
    /// the catalogue takes only the first verdict, so asking twice costs a second read, never a second outcome.
    /// </summary>
    public static async Task PublishUploadedAsync(
        CatalogImageView image, StoredBlob blob, CatalogClient catalog, IPublishEndpoint bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var signature = image.Signature is { } declared
            ? new DeclaredSignature
            {
                Value = declared.Value,
                HashMethod = declared.HashMethod,
                KeyType = declared.KeyType,
                CertificatePem = declared.Certificate
                    ?? (declared.CertificateId is { } certificateId ? await catalog.GetCertificatePemAsync(certificateId, cancellationToken) : null),
            }
            : null;
        await bus.Publish(new ImageUploaded
        {
            ImageId = image.Id,
            Name = image.Name,
            Version = image.Version,
            Kind = image.Kind,
            Vendor = image.Vendor,
            Signature = signature,
            DiskFormat = image.DiskFormat,
            ContainerFormat = image.ContainerFormat,
            SizeBytes = blob.Length,
            Sha256 = blob.Sha256,
            Sha512 = blob.Sha512,
            DeclaredSha256 = image.DeclaredSha256,
            DeclaredSha512 = image.DeclaredSha512,
            DeclaredMd5 = image.DeclaredMd5,
            Owner = image.Owner,
            UploadedAt = clock.GetUtcNow(),
        }, CancellationToken.None);
    }

    /// <summary>The HTTP answer to an upload: 202 with the image, 400 for no bytes, or the catalogue's problem.</summary>
    public static async Task<IResult> AnswerAsync(
        CatalogImageView image, StoredBlob blob, HttpContext http, CatalogClient catalog, IPublishEndpoint bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (blob.Length == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty upload", detail: "The request body is empty; an image has bytes.");
        }

        var recorded = await RecordAndPublishAsync(image, blob, Uploader(http), catalog, bus, clock, cancellationToken);
        return recorded.Succeeded
            ? Results.Accepted($"/api/v1/images/{image.Id}", recorded.Value)
            : Results.Problem(statusCode: recorded.StatusCode, detail: recorded.Detail);
    }

    /// <summary>
    /// The image must exist for the caller, belong to the caller's tenant (unless an operator calls), and still wait for
    /// its bytes; otherwise the problem to answer with, before any byte is read.
    /// </summary>
    public static async Task<(CatalogImageView? Image, IResult? Problem)> FindQueuedAsync(
        Guid id, ClaimsPrincipal caller, CatalogClient catalog, CancellationToken cancellationToken)
    {
        var image = await catalog.GetImageAsync(id, cancellationToken);
        if (!image.Succeeded)
        {
            return (null, Results.Problem(statusCode: image.StatusCode, detail: image.Detail));
        }

        if (!caller.IsInRole(CallerRoles.Operator) && image.Value!.Owner != CallerPrincipal.TenantOf(caller))
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"Image {id} belongs to tenant '{image.Value.Owner}'; only that tenant (or an operator) brings its bytes."));
        }

        return image.Value!.Status == "queued"
            ? (image.Value, null)
            : (null, Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"Image {id} already has its bytes (status '{image.Value.Status}'); an image is uploaded once."));
    }

    /// <summary>
    /// Who brought the bytes, for the catalogue's <c>uploadedBy</c>: the authenticated caller once there is one, until
    /// then the address the upload came from.
    /// </summary>
    public static string Uploader(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : $"anonymous@{http.Connection.RemoteIpAddress}";
}
