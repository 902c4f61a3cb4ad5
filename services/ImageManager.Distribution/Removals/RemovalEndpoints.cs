using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.ServiceDefaults.Access;
using MassTransit;

namespace ImageManager.Distribution.Removals;

/// <summary>
/// <c>POST /api/v1/removals</c>, behind the Api: take an image off chosen VIMs without deleting it from the catalogue,
/// written with its targets before the answer (<see cref="RemovalCreation"/>) so that its <c>Location</c>
/// (<c>/api/v1/distributions/{id}</c>, a distribution of kind <c>removal</c>) can be read at once.
/// </summary>
public static class RemovalEndpoints
{
    public static WebApplication MapRemovalEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/removals", Create);
        return app;
    }

    static async Task<IResult> Create(CreateRemovalRequest body, HttpRequest request, RemovalCreation creation, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (body.ImageId is not { } imageId)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["imageId"] = ["imageId is required."] }, detail: "imageId is required.");
        }

        var caller = ForwardedCaller.From(request);
        var acceptance = await creation.CreateAsync(new RemoveImageFromVims
        {
            RemovalId = NewId.NextSequentialGuid(),
            ImageId = imageId,
            Targets = [.. (body.VimIds ?? []).Select(vimId => new VimImageReference { VimId = vimId })],
            Selector = body.Selector,
            RequestedAt = clock.GetUtcNow(),
            KeepImage = true,
            Tenant = caller?.Tenant,
        }, caller, cancellationToken);
        return acceptance.Refusal is { } refusal
            ? DistributionEndpoints.Refused(refusal)
            : Results.Accepted($"/api/v1/distributions/{acceptance.DistributionId}", new RemovalAcceptedResource(acceptance.DistributionId));
    }
}
