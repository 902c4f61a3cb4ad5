using System.Security.Claims;
using ImageManager.Api.Access;
using ImageManager.Api.Downstream;
using ImageManager.Contracts;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using ImageManager.ServiceDefaults;

namespace ImageManager.Api.Removals;

/// <summary>
/// <c>POST /api/v1/removals</c>: take an image off chosen VIMs without deleting it from the catalogue. A removal is tracked
/// as a distribution of kind <c>removal</c> (<c>GET /api/v1/distributions/{id}</c>, its targets, events, retry of the failed
/// ones) with one <c>DistributionCompleted</c>. Only copies Image Manager created that no other image relies on are deleted;
/// the rest are released (left on the VIM). Operators only: a copy on a VIM may serve running workloads.
/// </summary>
public static class RemovalEndpoints
{
    public static WebApplication MapRemovalEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/removals", CreateRemoval).WithTags("Distributions").RequireAuthorization(CallerRoles.Operator).WithName("createRemoval")
            .WithSummary("Remove an image from chosen VIMs (vimIds and/or a selector) without deleting it; 202 with the removal's id, followed at /api/v1/distributions/{id}.")
            .Produces<RemovalAcceptedResource>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static async Task<IResult> CreateRemoval(
        CreateRemovalRequest request, ClaimsPrincipal user, CatalogClient catalog, DistributionClient distribution, ISendEndpointProvider send,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var vimIds = request.VimIds?.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var detail = request.ImageId is null ? ("imageId", "imageId is required.")
            : vimIds.Count == 0 && request.Selector is null ? ("vimIds", "Name the VIMs to remove the image from in vimIds, or choose them with a selector (all, region, tags).")
            : ((string Field, string Text)?)null;
        if (detail is { } problem)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Text] }, detail: problem.Text);
        }

        var image = await catalog.GetImageAsync(request.ImageId!.Value, cancellationToken);
        if (!image.Succeeded)
        {
            return Results.Problem(statusCode: image.StatusCode, detail: image.Detail);
        }

        if (vimIds.Count > 0 && await distribution.UnknownVimsAsync(vimIds, cancellationToken) is { Count: > 0 } unknown)
        {
            var text = $"Unknown VIM id(s): {string.Join(", ", unknown)}.";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["vimIds"] = [text] }, detail: text);
        }

        var removalId = NewId.NextSequentialGuid();
        var endpoint = await send.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.RemoveImageFromVims));
        await endpoint.Send(new RemoveImageFromVims
        {
            RemovalId = removalId,
            ImageId = request.ImageId.Value,
            Targets = vimIds.Select(vimId => new VimImageReference { VimId = vimId }).ToList(),
            Selector = request.Selector,
            RequestedAt = clock.GetUtcNow(),
            KeepImage = true,
            Tenant = CallerPrincipal.TenantOf(user),
        }, cancellationToken);
        return Results.Accepted($"/api/v1/distributions/{removalId}", new RemovalAcceptedResource(removalId));
    }
}
