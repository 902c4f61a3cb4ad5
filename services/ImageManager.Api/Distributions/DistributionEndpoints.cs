using ImageManager.Api.Downstream;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Distributions;

public static class DistributionEndpoints
{
    public static WebApplication MapDistributionEndpoints(this WebApplication app)
    {
        var distributions = app.MapGroup("/api/v1/distributions").WithTags("Distributions");
        // Forwarded like every route: the Distribution service owns VIMs, validated images and distributions, checks the request,
        // and writes the distribution with its targets before it answers, so the Location can be read at once.
        distributions.MapPost("/", Forward).RequireAuthorization(CallerRoles.Distributor).WithName("createDistribution")
            .Accepts<CreateDistributionRequest>("application/json")
            .WithSummary("Distribute an active image to VIMs (by id and/or a selector: all, region, tags) with an optional strategy (maxParallel, canarySize, maxFailures, deadline); answers 202 with the distribution id. A VIM's type must take the image's kind (openstack, onap-multicloud: VM images; oci-registry: container images and Helm charts): a named VIM that does not is refused (400, naming the kind and the VIM type); those a selector chooses are left out, and the 202 says how many and why (leftOut). The 202 carries an estimate of the duration from the image size, the VIMs' bandwidth caps, the strategy and the uplink budget (estimate); when by that estimate some targets cannot start before strategy.deadline, the request is refused (422, naming strategy.deadline) unless strategy.allowUnmetDeadline is true, when it is accepted with estimate.warning. An image past its end of life (after its endOfLife day, UTC) or whose trust was withdrawn is refused (409, naming the date or the reason) unless force is true, which only an operator may send (anyone else: 403).")
            .Produces<DistributionAcceptedResource>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status409Conflict);
        distributions.MapGet("/", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("listDistributions")
            .WithSummary("Recent distributions, newest first, filtered by imageId and state (distributing, completed); paged with limit and marker.")
            .Produces<DistributionListResource>()
            .ProducesValidationProblem();
        distributions.MapGet("/{id:guid}", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("getDistribution")
            .WithSummary("Show a distribution: state, counts per target state, bytes sent, progress, time left, the estimate made before it started, and its first 100 targets.")
            .Produces<DistributionResource>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        distributions.MapPost("/{id:guid}/cancel", Forward).RequireAuthorization(CallerRoles.Distributor).WithName("cancelDistribution")
            .WithSummary("Cancel the targets not yet under way (pending, or waiting for a retry); uploads already running finish.")
            .Produces<DistributionCancelledResource>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        distributions.MapPost("/{id:guid}/retry", Forward).RequireAuthorization(CallerRoles.Distributor).WithName("retryDistribution")
            .WithSummary("Re-run the failed targets as a new distribution (retryOf names this one); 202 with its id.")
            .Produces<DistributionRetryResource>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        distributions.MapGet("/{id:guid}/events", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("followDistribution")
            .WithSummary("Follow a distribution as server-sent events: 'target' for each target that changes, 'progress' (counts, bytes, progress, ETA) when the counts move, then one 'completed' (outcome, counts) and the end of the stream; a comment every 15 s; resume with Last-Event-ID.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        distributions.MapGet("/{id:guid}/targets", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("listDistributionTargets")
            .WithSummary("A distribution's targets in VIM id order, filtered by state; paged with limit and marker (the last VIM id).")
            .Produces<TargetListResource>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) => DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
