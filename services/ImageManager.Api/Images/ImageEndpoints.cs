using ImageManager.Api.Downstream;
using Microsoft.AspNetCore.Http.Metadata;

namespace ImageManager.Api.Images;

public static class ImageEndpoints
{
    public static WebApplication MapImageEndpoints(this WebApplication app)
    {
        var images = app.MapGroup("/api/v1/images").WithTags("Images");
        images.MapPost("/", (HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue"))
            .WithSummary("Create an image record (metadata); the answer has its id and status 'queued'.")
            .Produces(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        images.MapGet("/", (HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue"))
            .WithSummary("List images, oldest first, with keyset paging (limit, marker).");
        images.MapGet("/{id:guid}", (HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue"))
            .WithSummary("Show one image and its status.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        images.MapPut("/{id:guid}/file", UploadImageFile.HandleAsync)
            .WithSummary("Upload the image's bytes (raw body, streamed). The image moves to 'validating'.")
            .Accepts<Stream>("application/octet-stream")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new RequestSizeLimitMetadata());
        images.MapDelete("/{id:guid}", DeleteImage.HandleAsync)
            .WithSummary("Delete a queued or rejected image (and its bytes, when no other image has the same).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapGet("/{id:guid}/file", DownloadImageFile.HandleAsync)
            .WithSummary("Download an active image's bytes; HTTP Range requests resume or parallelise large downloads.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapPost("/{id:guid}/import", ImportImageFromUrl.HandleAsync)
            .WithSummary("Import the image's bytes from a URL (method 'web-download'); only schemes and hosts an operator allows.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapMethods("/{id:guid}/file", ["HEAD"], ResumableImageUpload.StatusAsync)
            .WithSummary("Resumable upload: how many bytes have arrived (Upload-Offset) and the announced total (Upload-Length).")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapPatch("/{id:guid}/file", ResumableImageUpload.AppendAsync)
            .WithSummary("Resumable upload: append bytes at Upload-Offset (Content-Type application/offset+octet-stream; " +
                         "Upload-Length announces the total). 204 with the new offset, 202 once complete.")
            .Accepts<Stream>(ResumableImageUpload.ContentType)
            .Produces(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new RequestSizeLimitMetadata());
        return app;
    }

    /// <summary>Uploads are as large as images are: no request size limit on this route.</summary>
    sealed class RequestSizeLimitMetadata : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }
}
