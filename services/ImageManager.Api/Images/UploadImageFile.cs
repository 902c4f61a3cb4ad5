using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.AspNetCore.Connections;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>PUT /api/v1/images/{id}/file</c>: streams the body into the blob store while hashing it, records the checksums in
/// the catalogue (queued → validating, once), then publishes <see cref="ImageUploaded"/>. A body cut off mid-stream
/// leaves no blob and publishes nothing.
/// </summary>
public static class UploadImageFile
{
    public static async Task<IResult> HandleAsync(
        Guid id, HttpContext http, CatalogClient catalog, IBlobStore blobs, IPublishEndpoint bus, TimeProvider clock, ILoggerFactory loggers)
    {
        var cancellationToken = http.RequestAborted;
        var image = await catalog.GetImageAsync(id, cancellationToken);
        if (!image.Succeeded)
        {
            return Results.Problem(statusCode: image.StatusCode, detail: image.Detail);
        }

        if (image.Value!.Status != "queued")
        {
            return Conflict($"Image {id} already has its bytes (status '{image.Value.Status}'); an image is uploaded once.");
        }

        StoredBlob blob;
        try
        {
            blob = await blobs.PutAsync(http.Request.Body, cancellationToken);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or ConnectionResetException or IOException or OperationCanceledException)
        {
            loggers.CreateLogger(typeof(UploadImageFile)).LogWarning("Upload of image {ImageId} was cut off: {Reason}", id, exception.Message);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Upload incomplete",
                detail: $"The upload ended before all bytes arrived ({exception.Message}); nothing was stored. Upload the file again.");
        }

        if (blob.Length == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty upload", detail: "The request body is empty; an image has bytes.");
        }

        var recorded = await catalog.RecordUploadAsync(id, blob, cancellationToken);
        if (!recorded.Succeeded)
        {
            // Lost a race with another upload of the same image: the blob stays, addressed by content, for whoever has these bytes.
            return Results.Problem(statusCode: recorded.StatusCode, detail: recorded.Detail);
        }

        var view = image.Value;
        await bus.Publish(new ImageUploaded
        {
            ImageId = id,
            Name = view.Name,
            Version = view.Version,
            Kind = view.Kind,
            DiskFormat = view.DiskFormat,
            ContainerFormat = view.ContainerFormat,
            SizeBytes = blob.Length,
            Sha256 = blob.Sha256,
            Sha512 = blob.Sha512,
            DeclaredSha256 = view.DeclaredSha256,
            DeclaredSha512 = view.DeclaredSha512,
            UploadedAt = clock.GetUtcNow(),
        }, CancellationToken.None);

        return Results.Accepted($"/api/v1/images/{id}", recorded.Value);
    }

    static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
