using System.Security.Claims;
using ImageManager.Api.Access;
using ImageManager.Api.Downstream;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;
using MassTransit;

namespace ImageManager.Api.Distributions;

public static class DistributionEndpoints
{
    const int MaxTargets = 10_000;

    public static WebApplication MapDistributionEndpoints(this WebApplication app)
    {
        var distributions = app.MapGroup("/api/v1/distributions").WithTags("Distributions");
        distributions.MapPost("/", CreateDistribution).RequireAuthorization(CallerRoles.Distributor)
            .WithSummary("Distribute an active image to VIMs (by id and/or a selector: all, region, tags) with an optional strategy (maxParallel, canarySize, maxFailures, deadline); answers 202 with the distribution id. A VIM's type must take the image's kind (openstack, onap-multicloud: VM images; oci-registry: container images and Helm charts): a named VIM that does not is refused (400, naming the kind and the VIM type); those a selector chooses are left out, and the 202 says how many and why (leftOut).")
            .Produces(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        distributions.MapGet("/", Forward).RequireAuthorization(CallerRoles.Viewer)
            .WithSummary("Recent distributions, newest first, filtered by imageId and state (distributing, completed); paged with limit and marker.")
            .ProducesValidationProblem();
        distributions.MapGet("/{id:guid}", Forward).RequireAuthorization(CallerRoles.Viewer)
            .WithSummary("Show a distribution: state, counts per target state, bytes sent, progress, time left, and its first 100 targets.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        distributions.MapPost("/{id:guid}/cancel", Forward).RequireAuthorization(CallerRoles.Distributor)
            .WithSummary("Cancel the targets not yet under way (pending, or waiting for a retry); uploads already running finish.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        distributions.MapPost("/{id:guid}/retry", Forward).RequireAuthorization(CallerRoles.Distributor)
            .WithSummary("Re-run the failed targets as a new distribution (retryOf names this one); 202 with its id.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        distributions.MapGet("/{id:guid}/events", Forward).RequireAuthorization(CallerRoles.Viewer)
            .WithSummary("Follow a distribution as server-sent events: 'target' for each target that changes, 'progress' (counts, bytes, progress, ETA) when the counts move, then one 'completed' (outcome, counts) and the end of the stream; a comment every 15 s; resume with Last-Event-ID.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        distributions.MapGet("/{id:guid}/targets", Forward).RequireAuthorization(CallerRoles.Viewer)
            .WithSummary("A distribution's targets in VIM id order, filtered by state; paged with limit and marker (the last VIM id).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) => DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");

    static async Task<IResult> CreateDistribution(
        CreateDistributionRequest request, ClaimsPrincipal user, CatalogClient catalog, DistributionClient distribution, IPublishEndpoint bus,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ImageId is null)
        {
            errors["imageId"] = ["imageId is required."];
        }

        var vimIds = request.VimIds?.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (vimIds.Count == 0 && request.Selector is null)
        {
            errors["vimIds"] = ["Name the target VIMs in vimIds, or choose them with a selector (all, region, tags)."];
        }
        else if (vimIds.Count > MaxTargets)
        {
            errors["vimIds"] = [$"vimIds names at most {MaxTargets} VIMs; choose more with a selector."];
        }

        if (request.Selector is { } selector && !selector.All && selector.Region is null && selector.Tags is not { Count: > 0 })
        {
            errors["selector"] = ["A selector chooses all VIMs (all: true), or those of a region and/or with every one of some tags."];
        }
        else if (request.Selector is { All: true } && (request.Selector.Region is not null || request.Selector.Tags is { Count: > 0 }))
        {
            errors["selector"] = ["selector.all chooses every VIM; it cannot be combined with region or tags."];
        }

        if (request.Strategy is { } strategy)
        {
            if (strategy.MaxParallel is < 1)
            {
                errors["strategy.maxParallel"] = ["strategy.maxParallel is at least 1."];
            }

            if (strategy.CanarySize is < 1)
            {
                errors["strategy.canarySize"] = ["strategy.canarySize is at least 1."];
            }

            if (strategy.MaxFailures is < 0)
            {
                errors["strategy.maxFailures"] = ["strategy.maxFailures is 0 or more."];
            }

            if (strategy.Deadline <= clock.GetUtcNow())
            {
                errors["strategy.deadline"] = ["strategy.deadline is in the future."];
            }
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        var image = await catalog.GetImageAsync(request.ImageId!.Value, cancellationToken);
        if (!image.Succeeded)
        {
            return Results.Problem(statusCode: image.StatusCode, detail: image.Detail);
        }

        if (image.Value!.Status != "active")
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Image not active",
                detail: $"Image {request.ImageId} is '{image.Value.Status}'; only an active image can be distributed.");
        }

        var named = vimIds.Count == 0 ? new NamedVimsCheck([], []) : await distribution.CheckNamedVimsAsync(vimIds, image.Value, cancellationToken);
        if (named.Unknown.Count > 0)
        {
            var detail = $"Unknown VIM id(s): {string.Join(", ", named.Unknown)}. Register a VIM with POST /api/v1/vims first.";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["vimIds"] = [detail] }, detail: detail);
        }

        if (named.Refused.Count > 0)
        {
            // Up front, not as failed targets later: a VIM of the wrong type would take the bytes and fail late, or worse, keep them.
            var detail = string.Join(" ", named.Refused.Select(v => $"VIM '{v.VimId}': {v.Reason}"));
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["vimIds"] = [detail] }, detail: detail);
        }

        var selection = request.Selector is null ? null : await distribution.CheckSelectionAsync(request.Selector, image.Value, cancellationToken);
        if (vimIds.Count == 0 && selection!.Selected == 0)
        {
            var detail = selection.LeftOut.Count == 0
                ? "The selector chooses no registered VIM; there would be nothing to distribute to."
                : $"The selector chooses no VIM that takes this image: {LeftOutDetail(selection.LeftOut)}";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["selector"] = [detail] }, detail: detail);
        }

        var distributionId = NewId.NextSequentialGuid();
        await bus.Publish(new DistributeRequested
        {
            DistributionId = distributionId,
            ImageId = request.ImageId.Value,
            VimIds = vimIds,
            Selector = request.Selector,
            Strategy = request.Strategy,
            RequestedAt = clock.GetUtcNow(),
            Tenant = CallerPrincipal.TenantOf(user),
        }, cancellationToken);

        var leftOut = selection?.LeftOut ?? [];
        return leftOut.Count == 0
            ? Results.Accepted($"/api/v1/distributions/{distributionId}", new { distributionId })
            : Results.Accepted($"/api/v1/distributions/{distributionId}", new
            {
                distributionId,
                leftOut = new
                {
                    count = leftOut.Sum(v => v.Count),
                    byVimType = leftOut.ToDictionary(v => v.VimType, v => v.Count),
                    detail = $"Not targets, though the selector chose them: {LeftOutDetail(leftOut)}",
                },
            });
    }

    /// <summary>"2 VIM(s) of type 'oci-registry': A VIM of type 'oci-registry' does not take a vm-image; …"</summary>
    static string LeftOutDetail(IEnumerable<LeftOutVims> leftOut) =>
        string.Join(" ", leftOut.Select(v => $"{v.Count} VIM(s) of type '{v.VimType}': {v.Reason}"));
}
