using ImageManager.Api.Downstream;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Removals;

/// <summary>
/// <c>POST /api/v1/removals</c>: take an image off chosen VIMs without deleting it from the catalogue. A removal is tracked
/// as a distribution of kind <c>removal</c> (<c>GET /api/v1/distributions/{id}</c>, its targets, events, retry of the failed
/// ones) with one <c>DistributionCompleted</c>. Only copies Image Manager created that no other image relies on are deleted;
/// the rest are released (left on the VIM). Operators only: a copy on a VIM may serve running workloads. The Distribution
/// service writes the removal before it answers, so its <c>Location</c> can be read at once.
/// </summary>
public static class RemovalEndpoints
{
    public static WebApplication MapRemovalEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/removals", Forward).WithTags("Distributions").RequireAuthorization(CallerRoles.Operator).WithName("createRemoval")
            .WithSummary("Remove an image from chosen VIMs (vimIds and/or a selector) without deleting it; 202 with the removal's id, followed at /api/v1/distributions/{id} (readable at once).")
            .Accepts<CreateRemovalRequest>("application/json")
            .Produces<RemovalAcceptedResource>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) => DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
