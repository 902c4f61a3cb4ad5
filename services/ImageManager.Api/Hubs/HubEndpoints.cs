using ImageManager.Api.Downstream;
using ImageManager.Contracts.Hubs;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Hubs;

/// <summary>Regional hubs, kept by the Distribution service: the requests go there as they are.</summary>
public static class HubEndpoints
{
    public static WebApplication MapHubEndpoints(this WebApplication app)
    {
        var hubs = app.MapGroup("/api/v1/hubs").WithTags("Hubs");
        hubs.MapGet("/", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("listHubs")
            .WithSummary("List the regional hubs (caches of the image downloads that the VIMs of their regions pull from), in id order.")
            .Produces<HubListResource>();
        hubs.MapGet("/{id}", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("getHub").WithSummary("Show one regional hub: its base URL and the regions it serves.")
            .Produces<HubResource>().ProducesProblem(StatusCodes.Status404NotFound);
        hubs.MapPut("/{id}", Forward).RequireAuthorization(CallerRoles.Operator).WithName("putHub")
            .WithSummary("Create or replace a regional hub: baseUrl (its cache as the VIMs reach it, in front of GET /images/{id}/file) and regions (a VIM's region; one hub per region). "
                         + "Pulling (web-download) VIMs of those regions fetch through it from their next attempt; when it is unhealthy or a pull through it fails, from the centre.")
            .Accepts<HubRequest>("application/json").Produces<HubResource>().Produces<HubResource>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        hubs.MapDelete("/{id}", Forward).RequireAuthorization(CallerRoles.Operator).WithName("deleteHub")
            .WithSummary("Remove a regional hub: its regions' VIMs pull from the centre again; targets that went through it keep saying so.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) =>
        DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
