using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Recalls;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// <c>/api/v1/recalls</c>, behind the Api (operators only): start one (or a dry run), list, read, its targets, its events
/// (the same stream as a distribution's) and the retry of its failed targets as a new recall.
/// </summary>
public static class RecallEndpoints
{
    const int FirstTargets = 100;

    public static WebApplication MapRecallEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/recalls", Create);
        app.MapGet("/api/v1/recalls", List);
        app.MapGet("/api/v1/recalls/{id:guid}", Get);
        app.MapGet("/api/v1/recalls/{id:guid}/targets", Targets);
        app.MapGet("/api/v1/recalls/{id:guid}/events", Events);
        app.MapPost("/api/v1/recalls/{id:guid}/retry", Retry);
        return app;
    }

    static async Task<IResult> Create(CreateRecallRequest body, HttpRequest request, RecallCreation creation, TimeProvider clock, CancellationToken cancellationToken, bool? dryRun = null)
    {
        if (body.ImageId is not { } imageId)
        {
            return DistributionEndpoints.Refused(new DistributionRefusal(StatusCodes.Status400BadRequest, "imageId", "imageId is required."));
        }

        if (body.Action is null)
        {
            return DistributionEndpoints.Refused(new DistributionRefusal(StatusCodes.Status400BadRequest, "action", $"action is required: one of {string.Join(", ", RecallActions.All)}."));
        }

        var acceptance = await creation.CreateAsync(new StartRecall
        {
            RecallId = NewId.NextSequentialGuid(),
            ImageId = imageId,
            Action = body.Action,
            Reason = body.Reason ?? new RecallReason(),
            SuccessorImageId = body.SuccessorImageId,
            VimIds = body.VimIds ?? [],
            Selector = body.Selector,
            RequestedAt = clock.GetUtcNow(),
        }, ForwardedCaller.From(request), dryRun == true || body.DryRun == true, cancellationToken);
        return acceptance switch
        {
            { Refusal: { } refusal } => DistributionEndpoints.Refused(refusal),
            { DryRun: { } plan } => Results.Ok(plan),
            _ => Results.Accepted($"/api/v1/recalls/{acceptance.RecallId}", new RecallAcceptedResource(acceptance.RecallId, acceptance.TargetCount, acceptance.SuccessorPresentCount)),
        };
    }

    static async Task<IResult> Get(Guid id, HttpRequest request, DistributionDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = ForwardedCaller.From(request);
        var recall = await db.Set<Recall>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (recall is null || await DistributionEndpoints.LoadAsync(db, id, caller, FirstTargets, clock.GetUtcNow(), cancellationToken) is not { } progress)
        {
            return NotFound(id);
        }

        var children = await db.Set<RecallChild>().AsNoTracking().Where(c => c.RecallId == id).ToListAsync(cancellationToken);
        return Results.Ok(new RecallResource(recall.Id, recall.ImageId, recall.Action,
            new RecallReason { Kind = recall.ReasonKind, CveId = recall.CveId, Text = recall.ReasonText },
            recall.SuccessorImageId, progress.RetryOf,
            [.. children.Where(c => c.Role == RecallChild.RemovalRole).Select(c => c.ChildId)],
            [.. children.Where(c => c.Role == RecallChild.SuccessorRole).Select(c => c.ChildId)],
            progress,
            [.. children.Where(c => c.Role == RecallChild.DeactivationRole).Select(c => c.ChildId)]));
    }

    static async Task<IResult> Targets(
        Guid id, HttpRequest request, DistributionDbContext db, CancellationToken cancellationToken, string? state = null, int? limit = null, string? marker = null) =>
        await db.Set<Recall>().AnyAsync(r => r.Id == id, cancellationToken)
            ? await DistributionEndpoints.ListTargets(id, request, db, cancellationToken, state, limit, marker)
            : NotFound(id);

    static async Task<IResult> Events(Guid id, HttpContext http, DistributionDbContext db, TimeProvider clock) =>
        await db.Set<Recall>().AnyAsync(r => r.Id == id, http.RequestAborted)
            ? await DistributionEventStream.StreamAsync(id, http, db, clock)
            : NotFound(id);

    static async Task<IResult> List(HttpRequest request, DistributionDbContext db, CancellationToken cancellationToken, Guid? imageId = null, int? limit = null, Guid? marker = null)
    {
        if (limit is < 1 or > 1000)
        {
            return DistributionEndpoints.Refused(new DistributionRefusal(StatusCodes.Status400BadRequest, "limit", "limit is a whole number from 1 to 1000."));
        }

        var recalls = db.Set<Recall>().AsNoTracking()
            .Join(db.Distributions.AsNoTracking().VisibleTo(ForwardedCaller.From(request)), r => r.Id, d => d.CorrelationId, (r, d) => new { Recall = r, Progress = d });
        if (imageId is { } image)
        {
            recalls = recalls.Where(x => x.Recall.ImageId == image);
        }

        if (marker is { } after && await db.Set<Recall>().Where(r => r.Id == after).Select(r => (DateTimeOffset?)r.CreatedAt).FirstOrDefaultAsync(cancellationToken) is { } at)
        {
            recalls = recalls.Where(x => x.Recall.CreatedAt < at || (x.Recall.CreatedAt == at && x.Recall.Id.CompareTo(after) < 0));
        }

        var pageSize = limit ?? 25;
        var page = await recalls.OrderByDescending(x => x.Recall.CreatedAt).ThenByDescending(x => x.Recall.Id).Take(pageSize + 1)
            .Select(x => new RecallSummary(x.Recall.Id, x.Recall.ImageId, x.Recall.Action, x.Recall.ReasonKind, x.Recall.SuccessorImageId,
                x.Progress.CurrentState.ToLower(), x.Progress.Outcome, x.Progress.TargetCount, x.Progress.RequestedAt, x.Progress.CompletedAt))
            .ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? page[pageSize - 1].Id : (Guid?)null;
        return Results.Ok(new RecallListResource([.. page.Take(pageSize)], next));
    }

    /// <summary>The failed targets' VIMs recalled again as a new recall (its own tracking and single completion), linked by <c>retryOf</c>.</summary>
    static async Task<IResult> Retry(Guid id, HttpRequest request, DistributionDbContext db, RecallCreation creation, TimeProvider clock, CancellationToken cancellationToken)
    {
        var recall = await db.Set<Recall>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (recall is null || !await db.Distributions.VisibleTo(ForwardedCaller.From(request)).AnyAsync(d => d.CorrelationId == id, cancellationToken))
        {
            return NotFound(id);
        }

        var failed = await db.Targets.Where(t => t.DistributionId == id && t.State == TargetStates.Failed).OrderBy(t => t.VimId).Select(t => t.VimId).ToListAsync(cancellationToken);
        if (failed.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to retry",
                detail: $"Recall {id} has no failed targets (yet); retry re-runs only failed ones.");
        }

        var acceptance = await creation.CreateAsync(new StartRecall
        {
            RecallId = NewId.NextSequentialGuid(),
            ImageId = recall.ImageId,
            Action = recall.Action,
            Reason = new RecallReason { Kind = recall.ReasonKind, CveId = recall.CveId, Text = recall.ReasonText },
            SuccessorImageId = recall.SuccessorImageId,
            VimIds = failed,
            RetryOf = id,
            RequestedAt = clock.GetUtcNow(),
        }, ForwardedCaller.From(request), dryRun: false, cancellationToken);
        return acceptance.Refusal is { } refusal
            ? DistributionEndpoints.Refused(refusal)
            : Results.Accepted($"/api/v1/recalls/{acceptance.RecallId}", new RecallRetryResource(acceptance.RecallId, id, acceptance.TargetCount));
    }

    static IResult NotFound(Guid id) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Recall not found", detail: $"There is no recall with id {id}.");
}
