using ImageManager.Api.Downstream;
using ImageManager.ServiceDefaults.Access;
using Microsoft.AspNetCore.Http.Metadata;
using ImageManager.Contracts.Images;
using ImageManager.Contracts.Locations;

namespace ImageManager.Api.Images;

public static class ImageEndpoints
{
    public static WebApplication MapImageEndpoints(this WebApplication app)
    {
        var images = app.MapGroup("/api/v1/images").WithTags("Images");
        images.MapPost("/", Forward).RequireAuthorization(CallerRoles.Onboarder).WithName("createImage")
            .WithSummary("Create an image record (metadata); the answer has its id and status 'queued'.")
            .Accepts<CreateImageRequest>("application/json")
            .Produces<ImageResource>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        images.MapGet("/", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("listImages")
            .WithSummary("List images: filters, sort on up to three keys, keyset paging (limit, marker).")
            .Produces<ImageListResource>()
            .ProducesValidationProblem();
        images.MapGet("/counts", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("countImages")
            .WithSummary("The images the caller sees, counted by status, and their image-VIM locations that are failed or drifted.")
            .Produces<ImageCountsResource>();
        images.MapGet("/{id:guid}", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("getImage")
            .WithSummary("Show one image, its validation verdict and its locations; the ETag is its revision.")
            .Produces<ImageResource>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        images.MapPatch("/{id:guid}", Forward).RequireAuthorization(CallerRoles.Onboarder).WithName("updateImage")
            .WithSummary("Change mutable fields with a JSON merge patch (application/merge-patch+json); If-Match makes it conditional.")
            .Accepts<ImagePatch>("application/merge-patch+json", "application/json")
            .Produces<ImageResource>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        images.MapPost("/{id:guid}/deactivate", Forward).RequireAuthorization(CallerRoles.Operator).WithName("deactivateImage")
            .WithSummary("Stop an active image's use for new distributions (it stays where it is).")
            .Produces<ImageResource>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapPost("/{id:guid}/reactivate", Forward).RequireAuthorization(CallerRoles.Operator).WithName("reactivateImage")
            .WithSummary("Let a deactivated image be distributed again.")
            .Produces<ImageResource>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapGet("/{id:guid}/locations", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("listImageLocations")
            .WithSummary("Which VIMs have the image: one image-VIM state per VIM.")
            .Produces<ImageLocationsResource>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        images.MapPut("/{id:guid}/file", UploadImageFile.HandleAsync).RequireAuthorization(CallerRoles.Onboarder).WithName("uploadImageFile")
            .WithSummary("Upload the image's bytes (raw body, streamed). The image moves to 'validating'.")
            .Accepts<Stream>("application/octet-stream")
            .Produces<ImageResource>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new RequestSizeLimitMetadata());
        images.MapDelete("/{id:guid}", DeleteImage.HandleAsync).RequireAuthorization(CallerRoles.Operator).WithName("deleteImage")
            .WithSummary("Delete an image (and its bytes, when no other image has the same). Refused while protected or on a VIM, " +
                         "unless purge=true: then 202, and it goes once removed from every VIM.")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ImageResource>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapDelete("/{id:guid}/locations/{vimId}", ForwardToDistribution).RequireAuthorization(CallerRoles.Operator).WithName("forgetImageLocation")
            .WithSummary("Forget the image's location on a VIM that is gone for good: Image Manager stops tracking its copies there and asks the VIM nothing (audited).")
            .Produces<ForgottenLocationResource>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id:guid}/file", DownloadImageFile.HandleAsync).AllowAnonymous() // credentials or a signed link: the handler decides
            .WithName("downloadImageFile")
            .WithSummary("Download an active image's bytes; HTTP Range requests resume or parallelise large downloads.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .Produces<Stream>(StatusCodes.Status206PartialContent, "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapGet("/{id:guid}/file/link", CheckDownloadLink.HandleAsync).AllowAnonymous() // the signed link's query is the credential
            .WithName("checkImageDownloadLink")
            .WithSummary("Whether a signed download link (its expires, signature and transfer) opens the image's bytes now, without sending them: what a regional hub asks before serving a byte, cached or not.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        images.MapPost("/{id:guid}/import", ImportImageFromUrl.HandleAsync).RequireAuthorization(CallerRoles.Onboarder).WithName("importImage")
            .WithSummary("Import the image's bytes from a URL (method 'web-download'); only schemes and hosts an operator allows.")
            .Produces<ImportAcceptedResource>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapMethods("/{id:guid}/file", ["HEAD"], ResumableImageUpload.StatusAsync).RequireAuthorization(CallerRoles.Onboarder).WithName("getImageUploadOffset")
            .WithSummary("Resumable upload: how many bytes have arrived (Upload-Offset) and the announced total (Upload-Length).")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        images.MapPatch("/{id:guid}/file", ResumableImageUpload.AppendAsync).RequireAuthorization(CallerRoles.Onboarder).WithName("appendImageUpload")
            .WithSummary("Resumable upload: append bytes at Upload-Offset (Content-Type application/offset+octet-stream; " +
                         "Upload-Length announces the total). 204 with the new offset, 202 once complete.")
            .Accepts<Stream>(ResumableImageUpload.ContentType)
            .Produces<ImageResource>(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new RequestSizeLimitMetadata());
        return app;
    }

    static Task<IResult> Forward(HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue");

    /// <summary>Which copies are on which VIMs is the Distribution service's record.</summary>
    static Task<IResult> ForwardToDistribution(HttpContext http, DistributionClient distribution) => DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");

    /// <summary>Uploads are as large as images are: no request size limit on this route.</summary>
    sealed class RequestSizeLimitMetadata : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }
}
