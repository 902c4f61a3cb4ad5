using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;
using MassTransit;
using Microsoft.AspNetCore.Connections;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>PUT /api/v1/images/{id}/file</c>: streams the body into the blob store while hashing it, then records and
/// publishes (<see cref="ImageUploadCompletion"/>). A body cut off mid-stream leaves no blob and publishes nothing;
/// for uploads that must survive a broken connection, see <see cref="ResumableImageUpload"/>.
/// </summary>
public static class UploadImageFile
{
    public static async Task<IResult> HandleAsync(
        Guid id, HttpContext http, CatalogClient catalog, IBlobStore blobs, IResumableUploads partials, IPublishEndpoint bus, TimeProvider clock,
        ILoggerFactory loggers)
    {
        var cancellationToken = http.RequestAborted;
        var (image, problem) = await ImageUploadCompletion.FindQueuedAsync(id, http.User, catalog, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        StoredBlob blob;
        try
        {
            blob = await blobs.PutAsync(http.Request.Body, cancellationToken);
        }
        catch (Exception exception) when (IsCutOff(exception))
        {
            loggers.CreateLogger(typeof(UploadImageFile)).LogWarning("Upload of image {ImageId} was cut off: {Reason}", id, exception.Message);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Upload incomplete",
                detail: $"The upload ended before all bytes arrived ({exception.Message}); nothing was stored. Upload the file again, " +
                        "or use the resumable protocol (PATCH with Upload-Offset) to continue after a broken connection.");
        }

        var answer = await ImageUploadCompletion.AnswerAsync(image!, blob, http, catalog, bus, clock, cancellationToken);
        await partials.DiscardAsync(id.ToString(), CancellationToken.None); // a resumable upload begun earlier is moot now
        return answer;
    }

    /// <summary>The client went away or sent less than it announced.</summary>
    public static bool IsCutOff(Exception exception) =>
        exception is BadHttpRequestException or ConnectionResetException or IOException or OperationCanceledException;
}
