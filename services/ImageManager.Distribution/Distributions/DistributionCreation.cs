using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// The one way a distribution comes to be, whoever asks (the Api for its caller, SO/VF-C on the bus, a retry, a repair):
/// checks the request, the image as the requester sees it (through the Catalog) and the VIMs, then writes the
/// distribution with its targets in one transaction, so that it can be read as soon as it is accepted. The row owes its
/// start (<see cref="DistributionState.StartPublishedAt"/> unset) until <see cref="DistributionStartRecordedConsumer"/>
/// sends the first uploads from it.
/// </summary>
public sealed class DistributionCreation(
    DistributionDbContext db, CatalogImages catalog, VimTypeFit fit, IPublishEndpoint bus, TimeProvider clock, DistributionEstimator estimator)
{
    public const int MaxTargets = 10_000;

    /// <param name="request">What to distribute where; its <c>Tenant</c> is whose distribution it will be.</param>
    /// <param name="requester">Who asks, as the Catalog should judge what they may see; null for Image Manager itself.</param>
    /// <param name="responseAddress">Where to answer with the completion, when asked with request/response.</param>
    /// <param name="requestId">The request's id, for that answer.</param>
    public async Task<DistributionAcceptance> CreateAsync(
        DistributeRequested request, ForwardedCaller? requester, Uri? responseAddress, Guid? requestId, CancellationToken cancellationToken)
    {
        var id = request.DistributionId;
        var vimIds = request.VimIds.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).ToList();
        if (Invalid(request, vimIds) is { } invalid)
        {
            return new DistributionAcceptance(id, invalid);
        }

        if (request.Force && requester is not null && !requester.Roles.Contains(CallerRoles.Operator))
        {
            return new DistributionAcceptance(id, new DistributionRefusal(StatusCodes.Status403Forbidden, "force",
                "force: true is for operators: it distributes an image past its end of life or no longer trusted. Leave it out, or ask an operator.", "Forbidden"));
        }

        if (await db.Distributions.AsNoTracking().AnyAsync(d => d.CorrelationId == id, cancellationToken))
        {
            return new DistributionAcceptance(id, null, Existed: true);
        }

        var (image, refusal) = await ImageAsync(request.ImageId, requester, cancellationToken);
        refusal ??= image is null ? null : await LifecycleRefusalAsync(image, request, cancellationToken);
        if (refusal is not null)
        {
            return new DistributionAcceptance(id, refusal);
        }

        if (await NamedVimsRefusalAsync(vimIds, image, cancellationToken) is { } unfit)
        {
            return new DistributionAcceptance(id, unfit);
        }

        var targets = new List<string>(vimIds);
        IReadOnlyList<LeftOutVims> leftOut = [];
        if (request.Selector is { } selector)
        {
            // One read of what the selector chooses: the targets (those whose type takes the image, in id order) and,
            // per VIM type, those left out.
            var chosen = await TargetPlan.Selected(db, selector).OrderBy(v => v.Id).Select(v => new { v.Id, v.Type }).ToListAsync(cancellationToken);
            var fitting = chosen.Where(v => image is null || fit.Takes(v.Type, image.Kind, image.DetectedType)).Select(v => v.Id).ToList();
            var named = vimIds.ToHashSet(StringComparer.Ordinal);
            targets.AddRange(fitting.Where(v => !named.Contains(v)));
            leftOut = image is null ? [] : chosen
                .Where(v => !fit.Takes(v.Type, image.Kind, image.DetectedType))
                .GroupBy(v => v.Type)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new LeftOutVims(g.Key, g.Count(), fit.WhyNot(g.Key, image.Kind, image.DetectedType)))
                .ToList();
            if (vimIds.Count == 0 && fitting.Count == 0)
            {
                var detail = leftOut.Count == 0
                    ? "The selector chooses no registered VIM; there would be nothing to distribute to."
                    : $"The selector chooses no VIM that takes this image: {LeftOutVims.Describe(leftOut)}";
                return new DistributionAcceptance(id, new DistributionRefusal(StatusCodes.Status400BadRequest, "selector", detail));
            }
        }

        var estimate = await estimator.EstimateAsync(request.ImageId, targets, request.Strategy, cancellationToken);
        var shown = DistributionEstimator.Resource(estimate.DurationSeconds, estimate.LastTargetStartSeconds, estimate.Basis, clock.GetUtcNow(), request.Strategy?.Deadline);
        if (shown is { DeadlineMet: false } && request.Strategy?.AllowUnmetDeadline != true)
        {
            return new DistributionAcceptance(id, new DistributionRefusal(StatusCodes.Status422UnprocessableEntity, "strategy.deadline",
                $"strategy.deadline cannot be met: {shown.Warning} Estimate: {estimate.Basis}. Set a later deadline, fewer targets or more parallelism, " +
                "or send strategy.allowUnmetDeadline: true to start anyway.", "Deadline cannot be met"));
        }

        var saga = new DistributionState
        {
            CorrelationId = id,
            CurrentState = "Distributing",
            ResponseAddress = requestId is null ? null : responseAddress,
            RequestId = requestId,
            EstimatedSeconds = estimate.DurationSeconds,
            EstimatedLastStartSeconds = estimate.LastTargetStartSeconds,
            EstimateBasis = estimate.Basis,
        };
        TargetPlan.Start(saga, request, request.Tenant, targets, clock.GetUtcNow());
        await VimUploadSlots.MakeFirstAsync(db, targets, cancellationToken);
        return await DistributionRecording.RecordAndStartAsync(db, bus, saga, cancellationToken)
            ? new DistributionAcceptance(id, null, LeftOut: leftOut, Estimate: DistributionEstimator.Resource(saga.EstimatedSeconds, saga.EstimatedLastStartSeconds, saga.EstimateBasis, saga.RequestedAt, saga.Deadline))
            : new DistributionAcceptance(id, null, Existed: true);
    }

    DistributionRefusal? Invalid(DistributeRequested request, List<string> vimIds)
    {
        if (TargetChoice.Problem(request.Selector, vimIds.Count, "the target VIMs") is { } problem)
        {
            return problem;
        }

        return request.Strategy switch
        {
            { MaxParallel: < 1 } => Refuse("strategy.maxParallel", "strategy.maxParallel is at least 1."),
            { CanarySize: < 1 } => Refuse("strategy.canarySize", "strategy.canarySize is at least 1."),
            { MaxFailures: < 0 } => Refuse("strategy.maxFailures", "strategy.maxFailures is 0 or more."),
            { Deadline: { } deadline } when deadline <= clock.GetUtcNow() => Refuse("strategy.deadline", "strategy.deadline is in the future."),
            _ => null,
        };
    }

    /// <summary>
    /// The image as the requester sees it: it must exist for them and be active. Image Manager's own requests (retries of
    /// its repairs) are not asked about; the image's kind then comes from what validation told this service, if it did.
    /// </summary>
    async Task<(CatalogImage? Image, DistributionRefusal? Refusal)> ImageAsync(Guid imageId, ForwardedCaller? requester, CancellationToken cancellationToken)
    {
        if (requester is null)
        {
            var known = await db.Images.AsNoTracking().Where(i => i.Id == imageId)
                .Select(i => new CatalogImage(i.Id, i.Kind, "active", i.DetectedType)).FirstOrDefaultAsync(cancellationToken);
            return (known, null);
        }

        var answer = await catalog.GetAsync(imageId, requester, cancellationToken);
        if (answer.Image is not { } image)
        {
            return (null, answer.StatusCode == StatusCodes.Status404NotFound
                ? new DistributionRefusal(StatusCodes.Status404NotFound, "imageId", answer.Detail ?? $"There is no image {imageId}.", "Not Found")
                : new DistributionRefusal(StatusCodes.Status503ServiceUnavailable, null,
                    $"The catalogue could not say whether image {imageId} may be distributed (it answered {answer.StatusCode}); try again."));
        }

        return image.Status == "active"
            ? (image, null)
            : (image, new DistributionRefusal(StatusCodes.Status409Conflict, "imageId",
                $"Image {imageId} is '{image.Status}'; only an active image can be distributed.", "Image not active"));
    }

    /// <summary>
    /// An image whose trust was withdrawn, or past its end of life (the day after <c>endOfLife</c>, UTC), is not distributed
    /// unless an operator forces it. A retry of an accepted distribution's failed targets finishes what was accepted (before
    /// the end of life, or forced): the end of life does not stop it; withdrawn trust does (those bytes should not land
    /// anywhere new; an operator may distribute them to those VIMs with force).
    /// </summary>
    async Task<DistributionRefusal?> LifecycleRefusalAsync(CatalogImage image, DistributeRequested request, CancellationToken cancellationToken)
    {
        if (request.Force)
        {
            return null; // only an operator's request gets this far with force (see CreateAsync)
        }

        var named = $"Image {image.Name ?? image.Id.ToString()} {image.Version}".TrimEnd();
        if (image.Trust == ImageTrust.Withdrawn)
        {
            return new DistributionRefusal(StatusCodes.Status409Conflict, "imageId",
                $"{named} is no longer trusted: {image.TrustWithdrawnReason ?? "its signer no longer vouches for it"}; an operator may distribute it anyway with force: true.",
                "Image not trusted");
        }

        if (image.EndOfLife is not { } endOfLife || endOfLife >= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
        {
            return null;
        }

        if (request.RetryOf is { } retried
            && await db.Distributions.AsNoTracking().AnyAsync(d => d.CorrelationId == retried && d.ImageId == request.ImageId, cancellationToken))
        {
            return null;
        }

        return new DistributionRefusal(StatusCodes.Status409Conflict, "imageId",
            $"{named} reached its end of life on {endOfLife:yyyy-MM-dd}; an operator may distribute it anyway with force: true.", "Image past its end of life");
    }

    /// <summary>Named VIMs must be registered, and (when the image is known) of a type that takes it: one query for ten thousand.</summary>
    async Task<DistributionRefusal?> NamedVimsRefusalAsync(List<string> vimIds, CatalogImage? image, CancellationToken cancellationToken)
    {
        if (vimIds.Count == 0)
        {
            return null;
        }

        var known = await db.Vims.AsNoTracking().Where(v => vimIds.Contains(v.Id)).Select(v => new { v.Id, v.Type }).ToListAsync(cancellationToken);
        var unknown = vimIds.Except(known.Select(v => v.Id), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return Refuse("vimIds", $"Unknown VIM id(s): {string.Join(", ", unknown)}. Register a VIM with POST /api/v1/vims first.");
        }

        // Up front, not as failed targets later: a VIM of the wrong type would take the bytes and fail late, or worse, keep them.
        var refused = image is null ? [] : known.Where(v => !fit.Takes(v.Type, image.Kind, image.DetectedType)).OrderBy(v => v.Id, StringComparer.Ordinal).ToList();
        return refused.Count == 0 ? null
            : Refuse("vimIds", string.Join(" ", refused.Select(v => $"VIM '{v.Id}': {fit.WhyNot(v.Type, image!.Kind, image.DetectedType)}")));
    }

    static DistributionRefusal Refuse(string field, string detail) => new(StatusCodes.Status400BadRequest, field, detail);
}
