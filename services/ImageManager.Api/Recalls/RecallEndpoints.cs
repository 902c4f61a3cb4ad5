using ImageManager.Api.Downstream;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Recalls;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Recalls;

/// <summary>
/// <c>/api/v1/recalls</c>: take an image off, or replace it on, every VIM that holds it. Operators only, reads included: a
/// recall reaches every tenant's VIMs. Forwarded to the Distribution service, which writes the recall before it answers.
/// </summary>
public static class RecallEndpoints
{
    public static WebApplication MapRecallEndpoints(this WebApplication app)
    {
        var recalls = app.MapGroup("/api/v1/recalls").WithTags("Recalls").RequireAuthorization(CallerRoles.Operator);
        recalls.MapPost("/", Forward).WithName("createRecall")
            .Accepts<CreateRecallRequest>("application/json")
            .WithSummary("Recall an image from every VIM where Image Manager recorded a copy (optionally narrowed by vimIds and/or a selector), with a reason (cve with cveId, revoked-key, end-of-life, other with text) and an action: remove, or replace with successorImageId (the successor is made present on each VIM first, then the recalled copy is removed), or deactivate (Image Manager's copies are deactivated on VIMs that can: Glance; OCI registries and Multicloud fail their target, saying so). 202 with the recall's id; with dryRun (body or query) 200 with the VIMs, tenants and, for replace, the VIMs already holding the successor, and nothing changes.")
            .Produces<RecallAcceptedResource>(StatusCodes.Status202Accepted).Produces<RecallDryRunResource>()
            .ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        recalls.MapGet("/", Forward).WithName("listRecalls")
            .WithSummary("Recent recalls, newest first, filtered by imageId; paged with limit and marker.")
            .Produces<RecallListResource>().ProducesValidationProblem();
        recalls.MapGet("/{id:guid}", Forward).WithName("getRecall")
            .WithSummary("Show a recall: reason, action, successor, the removal and successor distributions it started, and its progress (state, counts per target state, first 100 targets).")
            .Produces<RecallResource>().ProducesProblem(StatusCodes.Status404NotFound);
        recalls.MapGet("/{id:guid}/targets", Forward).WithName("listRecallTargets")
            .WithSummary("A recall's targets in VIM id order (pending, successor-pending, successor-present, removing, removed, released, failed), filtered by state; paged with limit and marker.")
            .Produces<TargetListResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        recalls.MapGet("/{id:guid}/events", Forward).WithName("followRecall")
            .WithSummary("Follow a recall as server-sent events, as a distribution's: 'target', 'progress', then one 'completed' and the end of the stream.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        recalls.MapPost("/{id:guid}/retry", Forward).WithName("retryRecall")
            .WithSummary("Recall again from the failed targets' VIMs, as a new recall (retryOf names this one); 202 with its id.")
            .Produces<RecallRetryResource>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) => DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
