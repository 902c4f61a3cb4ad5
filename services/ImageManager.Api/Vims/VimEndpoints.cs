using ImageManager.Api.Downstream;
using ImageManager.Api.Protection;
using ImageManager.ServiceDefaults.Access;
using ImageManager.Contracts.Locations;
using ImageManager.Contracts.Vims;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Vims;

public static class VimEndpoints
{
    public static WebApplication MapVimEndpoints(this WebApplication app)
    {
        var vims = app.MapGroup("/api/v1/vims").WithTags("VIMs");
        vims.MapPost("/", Forward).RequireAuthorization(CallerRoles.Operator).WithName("registerVim").WithSummary("Register a VIM: id, type, endpoint, Keystone identityUrl, tenant, region, tags, upload mode, credentials (write-only), TLS and limits.")
            .Accepts<RegisterVimRequest>("application/json").Produces<VimResource>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        vims.MapPut("/", Forward).RequireAuthorization(CallerRoles.Operator).WithName("upsertVims")
            .WithSummary("Register or update up to 10,000 VIMs in one request, {\"vims\": [registration, ...]}, each as POST /vims takes it: all or nothing, "
                         + "idempotent (a VIM already as asked is not written; credentials are encrypted again only when they changed); VIMs not listed stay. Answers how many were created, updated and unchanged.")
            .WithMetadata(new BulkVimBodyLimit(app.Services.GetRequiredService<IOptions<RequestProtectionOptions>>().Value.BulkVimBodyLimitBytes))
            .Accepts<BulkVimRequest>("application/json").Produces<BulkVimResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        vims.MapPost("/imports/aai", Forward).RequireAuthorization(CallerRoles.Operator).WithName("importVimsFromAai")
            .WithSummary("Import VIMs from ONAP A&AI's cloud regions now ({cloud-owner}_{cloud-region-id}, Keystone and credentials from each region's esr-system-info); "
                         + "idempotent. Answers the report: regions, created, updated, unchanged, skipped regions with reasons, and imported VIMs whose region A&AI no longer lists (kept).")
            .Produces<AaiImportReport>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        vims.MapGet("/", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("listVims").WithSummary("List registered VIMs in id order, optionally by idPrefix, region, tag or health (healthy, unhealthy, unknown); paged with limit (1 to 1000, default 1000) and marker (the 'next' of the previous page).")
            .Produces<VimListResource>();
        vims.MapGet("/{id}", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("getVim").WithSummary("Show one VIM with its health; credentials are never shown, only whether there are any.")
            .Produces<VimResource>().ProducesProblem(StatusCodes.Status404NotFound);
        vims.MapPatch("/{id}", Forward).RequireAuthorization(CallerRoles.Operator).WithName("updateVim").WithSummary("Change a VIM with a JSON merge patch; credentials are replaced whole or cleared with null.")
            .Accepts<RegisterVimRequest>("application/merge-patch+json", "application/json").Produces<VimResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        vims.MapDelete("/{id}", Forward).RequireAuthorization(CallerRoles.Operator).WithName("deleteVim").WithSummary("Remove a VIM from the registry; refused while a distribution target on it is unfinished.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vims.MapPost("/{id}/probe", Forward).RequireAuthorization(CallerRoles.Operator).WithName("probeVim").WithSummary("Check now that the VIM answers (with its credentials); a success closes its circuit.")
            .Produces<VimHealth>().ProducesProblem(StatusCodes.Status404NotFound);
        vims.MapGet("/{id}/copies", Forward).RequireAuthorization(CallerRoles.Operator).WithName("listVimCopies")
            .WithSummary("Every copy on the VIM that Image Manager made or found: who made it and for which image, its state (creating, present, removing, removed, forgotten), what the VIM last said when it would not delete it, and which images rely on it; paged by the VIM's image id (limit, marker).")
            .Produces<VimCopyListResource>().ProducesValidationProblem();
        vims.MapGet("/{id}/images", (HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue")).RequireAuthorization(CallerRoles.Viewer).WithName("listVimImages")
            .WithSummary("Which images are on the VIM (the catalogue's image-VIM read model), paged by image id (limit, marker, state); those in state active or skipped (found there by ensure-present) are the ones GET /images?onVim= lists.")
            .Produces<VimImagesResource>().ProducesValidationProblem();
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) =>
        DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
