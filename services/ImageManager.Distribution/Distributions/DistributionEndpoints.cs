using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Removals;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// The status API of distributions: one distribution with counts and the first targets, its targets paged and
/// filtered by state, and the recent distributions filtered by image and state.
/// </summary>
public static class DistributionEndpoints
{
    const int FirstTargets = 100;
    const int MaxLimit = 1000;

    public static WebApplication MapDistributionEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/distributions", Create);
        app.MapGet("/api/v1/distributions/{id:guid}", GetDistribution);
        app.MapGet("/api/v1/distributions/{id:guid}/targets", ListTargets);
        app.MapGet("/api/v1/distributions/{id:guid}/events", DistributionEventStream.StreamAsync);
        app.MapGet("/api/v1/distributions", ListDistributions);
        app.MapPost("/api/v1/distributions/{id:guid}/cancel", Cancel);
        app.MapPost("/api/v1/distributions/{id:guid}/retry", Retry);
        return app;
    }

    /// <summary>
    /// Writes the distribution with its targets before answering (<see cref="DistributionCreation"/>), so that the
    /// <c>Location</c> it answers with can be read at once; the uploads start right after.
    /// </summary>
    static async Task<IResult> Create(CreateDistributionRequest body, HttpRequest request, DistributionCreation creation, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (body.ImageId is not { } imageId)
        {
            return Refused(new DistributionRefusal(StatusCodes.Status400BadRequest, "imageId", "imageId is required."));
        }

        var caller = ForwardedCaller.From(request);
        var acceptance = await creation.CreateAsync(new DistributeRequested
        {
            DistributionId = NewId.NextSequentialGuid(),
            ImageId = imageId,
            VimIds = body.VimIds ?? [],
            Selector = body.Selector,
            Strategy = body.Strategy,
            RequestedAt = clock.GetUtcNow(),
            Tenant = caller?.Tenant,
            Force = body.Force ?? false,
        }, caller, responseAddress: null, requestId: null, cancellationToken);
        if (acceptance.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        var location = $"/api/v1/distributions/{acceptance.DistributionId}";
        var leftOut = acceptance.LeftOut ?? [];
        return Results.Accepted(location, new DistributionAcceptedResource(acceptance.DistributionId, leftOut.Count == 0 ? null : new LeftOutResource(
            leftOut.Sum(v => v.Count),
            leftOut.ToDictionary(v => v.VimType, v => v.Count),
            $"Not targets, though the selector chose them: {LeftOutVims.Describe(leftOut)}"), acceptance.Estimate));
    }

    internal static IResult Refused(DistributionRefusal refusal) => refusal is { StatusCode: StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity, Field: { } field }
        ? Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [refusal.Detail] }, detail: refusal.Detail, statusCode: refusal.StatusCode, title: refusal.Title)
        : Results.Problem(statusCode: refusal.StatusCode, title: refusal.Title, detail: refusal.Detail);

    /// <summary>
    /// Cancels every target not yet under way (pending, including those waiting for a retry): each becomes
    /// <c>cancelled</c>, final, and its upload, when it comes round, does nothing. Uploads already running finish.
    /// </summary>
    static async Task<IResult> Cancel(Guid id, HttpRequest request, DistributionDbContext db, IPublishEndpoint bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var distribution = await db.Distributions.AsNoTracking().VisibleTo(ForwardedCaller.From(request)).FirstOrDefaultAsync(d => d.CorrelationId == id, cancellationToken);
        if (distribution is null)
        {
            return NotFound(id);
        }

        if (distribution.CurrentState == "Completed")
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Distribution completed",
                detail: $"Distribution {id} has completed ({distribution.Outcome}); there is nothing left to cancel.");
        }

        var now = clock.GetUtcNow();
        var cancelled = await PendingTargetCancellation.CancelAsync(db, bus, id, distribution.ImageId, "Cancelled on request.", now, cancellationToken);
        await DistributionCompletionCheck.ReportIfFinishedAsync(db, bus, id, now, cancellationToken);
        return Results.Accepted($"/api/v1/distributions/{id}", new DistributionCancelledResource(id, cancelled));
    }

    /// <summary>Re-runs the failed targets as a new distribution (its own tracking and its own single completion), linked by <c>retryOf</c>.</summary>
    static async Task<IResult> Retry(
        Guid id, HttpRequest request, DistributionDbContext db, DistributionCreation creation, RemovalCreation removals, TimeProvider clock, CancellationToken cancellationToken)
    {
        var distribution = await db.Distributions.AsNoTracking().VisibleTo(ForwardedCaller.From(request)).FirstOrDefaultAsync(d => d.CorrelationId == id, cancellationToken);
        if (distribution is null)
        {
            return NotFound(id);
        }

        if (distribution.Kind == DistributionKinds.Recall)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "A recall",
                detail: $"Distribution {id} is a recall; retry its failed targets with POST /api/v1/recalls/{id}/retry.");
        }

        var failed = await db.Targets.Where(t => t.DistributionId == id && t.State == TargetStates.Failed).OrderBy(t => t.VimId).Select(t => t.VimId).ToListAsync(cancellationToken);
        if (failed.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to retry",
                detail: $"Distribution {id} has no failed targets (yet); retry re-runs only failed ones.");
        }

        var retryId = NewId.NextSequentialGuid();
        // Written before the answer, as the first one was, so that the retry's Location can be read at once.
        var acceptance = distribution.Kind == DistributionKinds.Removal
            // A removal's failed targets are removed again (the image's copies there are still recorded), as a removal of their own.
            ? await removals.CreateAsync(new RemoveImageFromVims
            {
                RemovalId = retryId,
                ImageId = distribution.ImageId,
                Targets = [.. failed.Select(vimId => new VimImageReference { VimId = vimId })],
                RequestedAt = clock.GetUtcNow(),
                KeepImage = true,
                Tenant = distribution.Tenant,
            }, ForwardedCaller.From(request), cancellationToken)
            : await creation.CreateAsync(
                new DistributeRequested { DistributionId = retryId, ImageId = distribution.ImageId, VimIds = failed, RequestedAt = clock.GetUtcNow(), RetryOf = id, Tenant = distribution.Tenant },
                ForwardedCaller.From(request), responseAddress: null, requestId: null, cancellationToken);
        if (acceptance.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        return Results.Accepted($"/api/v1/distributions/{retryId}", new DistributionRetryResource(retryId, id, failed.Count));
    }

    static async Task<IResult> GetDistribution(Guid id, HttpRequest request, DistributionDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        await LoadAsync(db, id, ForwardedCaller.From(request), FirstTargets, clock.GetUtcNow(), cancellationToken) is { } distribution ? Results.Ok(distribution) : NotFound(id);

    /// <summary>
    /// The status resource of a distribution, with its first <paramref name="firstTargets"/> targets (none for the event
    /// stream, which sends targets on their own); null when there is no such distribution.
    /// </summary>
    internal static async Task<DistributionResource?> LoadAsync(
        DistributionDbContext db, Guid id, ForwardedCaller? caller, int firstTargets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var distribution = await db.Distributions.AsNoTracking().VisibleTo(caller).FirstOrDefaultAsync(d => d.CorrelationId == id, cancellationToken);
        if (distribution is null)
        {
            return null;
        }

        // Each uploading target's bytes count towards progress up to the share it may show before it is final.
        var imageBytes = await ImageBytesAsync(db, distribution.ImageId, cancellationToken);
        var most = (long)(imageBytes * TargetResourceMapping.MostBeforeFinal);
        var byState = await db.Targets.Where(t => t.DistributionId == id)
            .GroupBy(t => t.State)
            .Select(g => new
            {
                State = g.Key,
                Count = g.Count(),
                Bytes = g.Sum(t => t.BytesSent),
                Capped = g.Sum(t => t.BytesSent < most ? t.BytesSent : most),
                Unpaced = g.Count(t => !(t.BytesPerSecond > 0)),
                Slowest = g.Max(t => t.BytesPerSecond > 0 ? (imageBytes - t.BytesSent) / t.BytesPerSecond : null),
            })
            .ToListAsync(cancellationToken);
        var uploading = byState.FirstOrDefault(s => s.State == TargetStates.Uploading);

        // When every open target is sending with a pace (none waits for a slot, a wave or a retry), the distribution ends
        // when its slowest transfer does.
        var onlyTransfers = byState.All(s => TargetStates.IsFinal(s.State) || s.State is TargetStates.Verifying || (s.State is TargetStates.Uploading && s.Unpaced == 0));
        double? slowestTransfer = onlyTransfers && imageBytes > 0 ? Math.Max(0, uploading?.Slowest ?? 0) : null;
        var (targets, next) = firstTargets == 0 ? ([], null) : await TargetPageAsync(db, id, imageBytes, null, firstTargets, null, cancellationToken);
        return DistributionResource.From(distribution, byState.ToDictionary(s => s.State, s => s.Count), byState.Sum(s => s.Bytes),
            imageBytes > 0 ? (double)(uploading?.Capped ?? 0) / imageBytes : 0, slowestTransfer, targets, next, now);
    }

    /// <summary>The size of the distribution's image as distribution knows it; 0 when it does not (a removal of an image never validated here).</summary>
    internal static async Task<long> ImageBytesAsync(DistributionDbContext db, Guid imageId, CancellationToken cancellationToken) =>
        await db.Images.AsNoTracking().Where(i => i.Id == imageId).Select(i => (long?)i.SizeBytes).FirstOrDefaultAsync(cancellationToken) ?? 0;

    internal static async Task<IResult> ListTargets(
        Guid id, HttpRequest request, DistributionDbContext db, CancellationToken cancellationToken, string? state = null, int? limit = null, string? marker = null)
    {
        if (Invalid(limit, state, TargetStates.All) is { } problem)
        {
            return problem;
        }

        var imageId = await db.Distributions.VisibleTo(ForwardedCaller.From(request)).Where(d => d.CorrelationId == id).Select(d => (Guid?)d.ImageId).FirstOrDefaultAsync(cancellationToken);
        if (imageId is null)
        {
            return NotFound(id);
        }

        var (targets, next) = await TargetPageAsync(db, id, await ImageBytesAsync(db, imageId.Value, cancellationToken), state, limit ?? 100, marker, cancellationToken);
        return Results.Ok(new TargetListResource(id, targets, next));
    }

    static async Task<IResult> ListDistributions(
        HttpRequest request, DistributionDbContext db, CancellationToken cancellationToken, Guid? imageId = null, string? state = null, int? limit = null, Guid? marker = null)
    {
        if (Invalid(limit, state, ["distributing", "completed"]) is { } problem)
        {
            return problem;
        }

        var distributions = db.Distributions.AsNoTracking().VisibleTo(ForwardedCaller.From(request));
        if (imageId is { } image)
        {
            distributions = distributions.Where(d => d.ImageId == image);
        }

        if (state is not null)
        {
            var stored = state == "completed" ? "Completed" : "Distributing";
            distributions = distributions.Where(d => d.CurrentState == stored);
        }

        if (marker is { } after && await db.Distributions.Where(d => d.CorrelationId == after).Select(d => (DateTimeOffset?)d.RequestedAt).FirstOrDefaultAsync(cancellationToken) is { } at)
        {
            distributions = distributions.Where(d => d.RequestedAt < at || (d.RequestedAt == at && d.CorrelationId.CompareTo(after) < 0));
        }

        var pageSize = limit ?? 25;
        var page = await distributions.OrderByDescending(d => d.RequestedAt).ThenByDescending(d => d.CorrelationId).Take(pageSize + 1)
            .Select(d => new DistributionSummary(d.CorrelationId, d.ImageId, d.CurrentState.ToLower(), d.Outcome, d.TargetCount, d.RequestedAt, d.CompletedAt, d.Kind))
            .ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? page[pageSize - 1].Id : (Guid?)null;
        // Names by the page's image ids: ids are time-ordered, so a prefix of one does not tell images apart.
        var imageIds = page.Select(d => d.ImageId).Distinct().ToList();
        var names = await db.Images.AsNoTracking().Where(i => imageIds.Contains(i.Id)).Select(i => new { i.Id, i.Name, i.Version }).ToDictionaryAsync(i => i.Id, cancellationToken);
        var named = page.Take(pageSize).Select(d => names.TryGetValue(d.ImageId, out var image) ? d with { ImageName = image.Name, ImageVersion = image.Version } : d).ToList();
        return Results.Ok(new DistributionListResource(named, next));
    }

    /// <summary>Targets in VIM id order after <paramref name="marker"/> (the last VIM id of the previous page).</summary>
    static async Task<(List<TargetResource> Targets, string? Next)> TargetPageAsync(
        DistributionDbContext db, Guid id, long imageBytes, string? state, int pageSize, string? marker, CancellationToken cancellationToken)
    {
        var targets = db.Targets.AsNoTracking().Where(t => t.DistributionId == id);
        if (state is not null)
        {
            targets = targets.Where(t => t.State == state);
        }

        if (marker is not null)
        {
            targets = targets.Where(t => string.Compare(t.VimId, marker) > 0);
        }

        var page = await targets.OrderBy(t => t.VimId).Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? page[pageSize - 1].VimId : null;
        return (page.Take(pageSize).Select(t => TargetResource.From(t, imageBytes)).ToList(), next);
    }

    static IResult? Invalid(int? limit, string? state, string[] states)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit is a whole number from 1 to {MaxLimit}."];
        }

        if (state is not null && !states.Contains(state))
        {
            errors["state"] = [$"state is one of {string.Join(", ", states)}; got '{state}'."];
        }

        return errors.Count == 0 ? null : Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
    }

    internal static IResult NotFound(Guid id) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Distribution not found",
        detail: $"There is no distribution with id {id}. A distribution appears a moment after it was accepted.");
}
