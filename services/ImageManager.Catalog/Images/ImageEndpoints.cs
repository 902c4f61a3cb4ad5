using ImageManager.Catalog.Locations;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;
using ImageManager.Contracts.Images;

namespace ImageManager.Catalog.Images;

/// <summary>The catalogue's HTTP API. The Api forwards the public routes here; <c>/internal</c> is for the Api only.</summary>
public static class ImageEndpoints
{
    public static WebApplication MapImageEndpoints(this WebApplication app)
    {
        var images = app.MapGroup("/api/v1/images");
        images.MapPost("/", CreateImage);
        images.MapGet("/", ListImages);
        images.MapGet("/counts", ImageCounts.GetAsync);
        images.MapGet("/{id:guid}", GetImage);
        images.MapPatch("/{id:guid}", PatchImage.HandleAsync);
        images.MapDelete("/{id:guid}", DeleteImage.HandleAsync);
        images.MapPost("/{id:guid}/deactivate", ImageActivation.DeactivateAsync);
        images.MapPost("/{id:guid}/reactivate", ImageActivation.ReactivateAsync);
        images.MapGet("/{id:guid}/locations", ImageLocations.OfImageAsync);
        app.MapGet("/api/v1/vims/{vimId}/images", ImageLocations.OnVimAsync);

        app.MapPost("/internal/v1/images/{id:guid}/upload-completed", RecordUpload);
        return app;
    }

    static async Task<IResult> CreateImage(
        CreateImageRequest request, HttpRequest http, CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        // The image belongs to the caller's tenant; only an operator may name another owner.
        var caller = ForwardedCaller.From(http);
        if (caller is not null && !caller.SeesEveryTenant && request.Owner is { } owner && owner != caller.Tenant)
        {
            var refusal = $"owner is the tenant the image belongs to: yours is '{caller.Tenant}'; only an operator creates images for another tenant.";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["owner"] = [refusal] }, detail: refusal);
        }

        request = caller is null ? request : request with { Owner = request.Owner ?? caller.Tenant };
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

        if (await ImageNames.ClashAsync(db, image.Kind, image.Name, image.Version, image.Owner, image.Visibility, null, cancellationToken) is { } clash)
        {
            return Conflict(clash);
        }

        db.Images.Add(image);
        db.QueueEvent(ImageRecords.Catalogued(image), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique indexes decide a race between two requests for the same name.
            db.ChangeTracker.Clear();
            return Conflict(await ImageNames.ClashAsync(db, image.Kind, image.Name, image.Version, image.Owner, image.Visibility, image.Id, CancellationToken.None)
                ?? $"Another request catalogued a {image.Kind} named '{image.Name}' with version '{image.Version}' at the same moment.");
        }

        outbox.Notify();
        return Results.Created($"/api/v1/images/{image.Id}", ImageResource.From(image));
    }

    static async Task<IResult> GetImage(Guid id, HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var image = await ImageRecords.FindAsync(db, id, cancellationToken);
        if (image is null || !TenantAccess.MaySee(image, ForwardedCaller.From(http.Request)))
        {
            return NotFound(id);
        }

        var locations = await db.Locations.AsNoTracking().Where(l => l.ImageId == id).OrderBy(l => l.VimId).ToListAsync(cancellationToken);
        http.Response.Headers.ETag = ImageRecords.ETag(image);
        return Results.Ok(ImageResource.From(image, locations));
    }

    static async Task<IResult> ListImages(HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ImageListQuery.Parse(http.Request.Query, out var errors) is not { } query)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        try
        {
            var (page, next) = await ImageListing.RunAsync(db, query, ForwardedCaller.From(http.Request), clock, cancellationToken);
            return Results.Ok(new ImageListResource(page.Select(image => ImageResource.From(image)).ToList(), next));
        }
        catch (LatestOwnerAmbiguousException ambiguous)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["owner"] = [ambiguous.Message] }, detail: ambiguous.Message);
        }
    }

    /// <summary>
    /// queued → validating, once. The conditional update makes this the arbiter when two uploads race:
    /// exactly one of them wins, the other gets 409. Whether the caller may bring the bytes at all the Api decided
    /// before it read any, from the image's owner.
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

    public static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Image not found", detail: $"There is no image with id {id}.");

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
