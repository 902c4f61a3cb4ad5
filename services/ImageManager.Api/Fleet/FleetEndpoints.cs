using ImageManager.Api.Downstream;
using ImageManager.Contracts.Fleet;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Fleet;

/// <summary>The fleet in counts (the Distribution service aggregates them): the portal's overview and its fleet view of an image.</summary>
public static class FleetEndpoints
{
    public static WebApplication MapFleetEndpoints(this WebApplication app)
    {
        var fleet = app.MapGroup("/api/v1/fleet").WithTags("Fleet");
        fleet.MapGet("/vims", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("countVims")
            .WithSummary("How many VIMs match a search (idPrefix, region, tag, health: the criteria of GET /vims and of a distribution's selector), by health and by region.")
            .Produces<FleetVimsResource>().ProducesValidationProblem();
        fleet.MapGet("/activity", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("fleetActivity")
            .WithSummary("The caller's distributions: how many are running, and how many finished failed, partially failed and succeeded.")
            .Produces<FleetActivityResource>();
        fleet.MapGet("/images/{imageId:guid}", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("imageAcrossRegions")
            .WithSummary("Where an image is, per region: VIMs where it is present, in progress, failed, drifted and missing (from its latest target on each VIM).")
            .Produces<ImageFleetResource>();
        fleet.MapGet("/images/{imageId:guid}/sites", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("imageSites")
            .WithSummary("The VIMs of one region (region; empty for none) with the image's presence on each (presence filters), in id order; paged with limit (1 to 500) and marker.")
            .Produces<ImageSiteListResource>().ProducesValidationProblem();
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) => DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
