using ImageManager.Api.Downstream;

namespace ImageManager.Api.Vims;

public static class VimEndpoints
{
    public static WebApplication MapVimEndpoints(this WebApplication app)
    {
        var vims = app.MapGroup("/api/v1/vims").WithTags("VIMs");
        vims.MapPost("/", Forward).WithSummary("Register a VIM (id, type, endpoint, region, tags).")
            .Produces(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        vims.MapGet("/", Forward).WithSummary("List registered VIMs.");
        vims.MapGet("/{id}", Forward).WithSummary("Show one VIM.").ProducesProblem(StatusCodes.Status404NotFound);
        vims.MapGet("/{id}/images", (HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue"))
            .WithSummary("Which images are on the VIM (the catalogue's image-VIM read model), paged by image id (limit, marker, state).")
            .ProducesValidationProblem();
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) =>
        DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
