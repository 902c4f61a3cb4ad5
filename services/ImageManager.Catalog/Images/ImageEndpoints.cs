using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>The catalogue's HTTP API. The Api forwards the public routes here; <c>/internal</c> is for the Api only.</summary>
public static class ImageEndpoints
{
    public static WebApplication MapImageEndpoints(this WebApplication app)
    {
        var images = app.MapGroup("/api/v1/images");
        images.MapPost("/", CreateImage);
        images.MapGet("/", ListImages);
        images.MapGet("/{id:guid}", GetImage);
        images.MapDelete("/{id:guid}", DeleteImage);

        app.MapPost("/internal/v1/images/{id:guid}/upload-completed", RecordUpload);
        return app;
    }

    static async Task<IResult> CreateImage(CreateImageRequest request, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = CreateImageRequestValidator.Validate(request);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        if (request.Signature?.CertificateId is { } certificateId && !await db.Certificates.AnyAsync(c => c.Id == certificateId, cancellationToken))
        {
            var detail = $"signature.certificateId {certificateId} names no registered certificate (POST /api/v1/certificates first).";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["signature.certificateId"] = [detail] }, detail: detail);
        }

        var now = clock.GetUtcNow();
        var image = ImageRecords.New(Guid.CreateVersion7(now), request, now);

        if (await db.Images.AnyAsync(i => i.Kind == image.Kind && i.Name == image.Name && i.Version == image.Version, cancellationToken))
        {
            return Conflict($"A {image.Kind} named '{image.Name}' with version '{image.Version}' already exists.");
        }

        db.Images.Add(image);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index decides a race between two identical requests.
            return Conflict($"A {image.Kind} named '{image.Name}' with version '{image.Version}' already exists.");
        }

        return Results.Created($"/api/v1/images/{image.Id}", ImageResource.From(image));
    }

    static async Task<IResult> GetImage(Guid id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return image is null ? NotFound(id) : Results.Ok(ImageResource.From(image));
    }

    static async Task<IResult> ListImages(HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (ImageListQuery.Parse(http.Request.Query, out var errors) is not { } query)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        var (page, next) = await ImageListing.RunAsync(db, query, cancellationToken);
        return Results.Ok(new ImageListResource(page.Select(image => ImageResource.From(image)).ToList(), next));
    }

    /// <summary>
    /// queued → validating, once. The conditional update makes this the arbiter when two uploads race:
    /// exactly one of them wins, the other gets 409.
    /// </summary>
    static async Task<IResult> RecordUpload(Guid id, UploadCompletedRequest upload, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = await db.Images
            .Where(i => i.Id == id && i.Status == ImageStatuses.Queued)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(i => i.Status, ImageStatuses.Validating)
                    .SetProperty(i => i.Sha256, upload.Sha256)
                    .SetProperty(i => i.Sha512, upload.Sha512)
                    .SetProperty(i => i.SizeBytes, upload.SizeBytes)
                    .SetProperty(i => i.UploadedBy, upload.UploadedBy == null ? null : upload.UploadedBy.Substring(0, Math.Min(upload.UploadedBy.Length, 255)))
                    .SetProperty(i => i.ImportError, (string?)null)
                    .SetProperty(i => i.UpdatedAt, now)
                    .SetProperty(i => i.Revision, i => i.Revision + 1),
                cancellationToken);

        var image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (image is null)
        {
            return NotFound(id);
        }

        return updated == 1
            ? Results.Ok(ImageResource.From(image))
            : Conflict($"Image {id} already has its bytes (status '{image.Status}'); an image is uploaded once.");
    }

    /// <summary>
    /// Deletes an image that is on no VIM: one still waiting for bytes, or one validation rejected (it keeps its
    /// reasons until then). Active images may be on VIMs; deleting them comes with the catalogue's location tracking.
    /// The answer says whether another image still holds the same bytes, so the Api knows if the blob may go.
    /// </summary>
    static async Task<IResult> DeleteImage(Guid id, CatalogDbContext db, IPublishEndpoint bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var image = await db.Images.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (image is null)
        {
            return NotFound(id);
        }

        if (image.Status is not (ImageStatuses.Queued or ImageStatuses.Rejected))
        {
            return Conflict($"Image {id} is '{image.Status}'; only a queued or rejected image can be deleted for now (an active one may be on VIMs).");
        }

        db.Images.Remove(image);
        await db.SaveChangesAsync(cancellationToken);
        await bus.Publish(new ImageDeleted { ImageId = id, Name = image.Name, Version = image.Version, Kind = image.Kind, DeletedAt = clock.GetUtcNow() },
            cancellationToken);
        var bytesStillUsed = image.Sha256 is not null && await db.Images.AnyAsync(i => i.Sha256 == image.Sha256, cancellationToken);
        return Results.Ok(new { id, sha256 = image.Sha256, bytesStillUsed });
    }

    static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Image not found", detail: $"There is no image with id {id}.");

    static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
