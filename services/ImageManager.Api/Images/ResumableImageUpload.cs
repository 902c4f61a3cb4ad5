using System.Globalization;
using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using MassTransit;

namespace ImageManager.Api.Images;

/// <summary>
/// The resumable upload protocol on <c>/api/v1/images/{id}/file</c>, after tus 1.0's core:
/// <list type="bullet">
/// <item><c>HEAD</c> answers <c>Upload-Offset</c> (bytes received so far) and <c>Upload-Length</c> (if announced).</item>
/// <item><c>PATCH</c> with <c>Content-Type: application/offset+octet-stream</c> and <c>Upload-Offset</c> equal to the
/// bytes received appends the body; <c>Upload-Length</c> announces the total (once). Every byte that arrives is kept,
/// even when the connection breaks: the client asks <c>HEAD</c> and continues from there.</item>
/// <item>Answers <c>204</c> with the new <c>Upload-Offset</c>, or <c>202</c> when the last byte arrived: the image, still
/// <c>queued</c>, is then assembled and validated (its status goes on to <c>validating</c>); <c>409</c> when the offset is not where the upload stands (the detail says where it is), or the upload is complete and being assembled.</item>
/// </list>
/// </summary>
public static class ResumableImageUpload
{
    public const string OffsetHeader = "Upload-Offset";
    public const string LengthHeader = "Upload-Length";
    public const string ContentType = "application/offset+octet-stream";

    public static async Task<IResult> StatusAsync(Guid id, HttpContext http, CatalogClient catalog, IResumableUploads uploads)
    {
        var (_, problem) = await ImageUploadCompletion.FindQueuedAsync(id, http.User, catalog, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        Describe(http, await uploads.StatusAsync(id.ToString(), http.RequestAborted));
        return Results.Ok();
    }

    public static async Task<IResult> AppendAsync(
        Guid id, HttpContext http, CatalogClient catalog, IResumableUploads uploads, ISendEndpointProvider send, TimeProvider clock, ILoggerFactory loggers)
    {
        var request = http.Request;
        if (!string.Equals(request.ContentType, ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"A resumable upload's PATCH has Content-Type {ContentType}.");
        }

        if (!TryReadLength(request, OffsetHeader, out var offset) || offset is null)
        {
            return BadHeader($"{OffsetHeader} is required: the number of bytes already received (0 to start; HEAD tells).");
        }

        if (!TryReadLength(request, LengthHeader, out var length))
        {
            return BadHeader($"{LengthHeader}, when given, is the file's total size in bytes.");
        }

        var (image, problem) = await ImageUploadCompletion.FindQueuedAsync(id, http.User, catalog, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var key = id.ToString();
        PartialUpload status;
        try
        {
            status = await uploads.AppendAsync(key, offset.Value, length, request.Body, http.RequestAborted);
        }
        catch (UploadConflictException conflict)
        {
            Describe(http, await uploads.StatusAsync(key, http.RequestAborted));
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Upload conflict", detail: conflict.Message);
        }
        catch (Exception exception) when (UploadImageFile.IsCutOff(exception))
        {
            var kept = await uploads.StatusAsync(key, CancellationToken.None); // the request may be the one aborted
            loggers.CreateLogger(typeof(ResumableImageUpload)).LogInformation(
                "Resumable upload of image {ImageId} broke at offset {Offset}: {Reason}", id, kept.Offset, exception.Message);
            Describe(http, kept);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Upload interrupted",
                detail: $"The connection broke; {kept.Offset} bytes are kept. Continue with PATCH and {OffsetHeader}: {kept.Offset}.");
        }

        Describe(http, status);
        if (!status.IsComplete)
        {
            return Results.NoContent();
        }

        if (status.Offset == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty upload", detail: "The upload has no bytes; an image has bytes.");
        }

        // Assembling reads the whole image again: another step, off this request (see AssembleImageUploadConsumer).
        var endpoint = await send.GetSendEndpoint(AssembleImageUploadConsumerDefinition.Address);
        await endpoint.Send(new AssembleImageUpload
        {
            ImageId = id,
            SizeBytes = status.Offset,
            UploadedBy = ImageUploadCompletion.Uploader(http),
            ReceivedAt = clock.GetUtcNow(),
        }, CancellationToken.None);
        return Results.Accepted($"/api/v1/images/{id}", new ResumableUploadReceived { Id = image!.Id, Status = image.Status, SizeBytes = status.Offset });
    }

    static void Describe(HttpContext http, PartialUpload status)
    {
        http.Response.Headers[OffsetHeader] = status.Offset.ToString(CultureInfo.InvariantCulture);
        if (status.Length is { } length)
        {
            http.Response.Headers[LengthHeader] = length.ToString(CultureInfo.InvariantCulture);
        }

        http.Response.Headers.CacheControl = "no-store";
    }

    static bool TryReadLength(HttpRequest request, string header, out long? value)
    {
        value = null;
        var text = request.Headers[header].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    static IResult BadHeader(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad upload header", detail: detail);
}
