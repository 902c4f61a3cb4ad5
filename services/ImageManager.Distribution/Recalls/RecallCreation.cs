using System.Text.RegularExpressions;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Recalls;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// How a recall comes to be (<c>POST /api/v1/recalls</c>, <see cref="StartRecall"/> on the bus, a retry). Its VIMs are
/// those where Image Manager recorded a copy of the image (<see cref="VimCopyLedger.VimsOfAsync"/>), narrowed by named VIMs
/// and/or a selector. It reuses the distributions' machinery rather than tracking anything of its own: the recall is a
/// distribution row of kind <c>recall</c> with one target per VIM; the work is one removal of the image (kind
/// <c>removal</c>) over the same VIMs and, for <c>replace</c>, one distribution of the successor to the VIMs that lack it,
/// both linked to it (<see cref="RecallChild"/>); for <c>deactivate</c>, one deactivation (kind <c>deactivation</c>) instead
/// of the removal. For <c>replace</c> a VIM's removal target is written undispatched unless the VIM already holds the successor; <see cref="RecallProgress"/> sends it only once the successor is active there, so no
/// VIM is ever left without one of the two. The successor's distribution is created first (it checks the successor as the
/// requester sees it, and the VIMs' types): a crash before the recall is written leaves only the successor on some VIMs.
/// </summary>
public sealed partial class RecallCreation(DistributionDbContext db, CatalogImages catalog, DistributionCreation distributions, IPublishEndpoint bus, ISendEndpointProvider sends, TimeProvider clock)
{
    public const int MaxReasonLength = 1000;
    public const int MaxCveIdLength = 32;

    public async Task<RecallAcceptance> CreateAsync(StartRecall request, ForwardedCaller? requester, bool dryRun, CancellationToken cancellationToken)
    {
        var id = request.RecallId;
        var named = request.VimIds.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).ToList();
        if (Invalid(request, named) is { } invalid)
        {
            return new RecallAcceptance(id, invalid);
        }

        if (!dryRun && await db.Distributions.AsNoTracking().AnyAsync(d => d.CorrelationId == id, cancellationToken))
        {
            return new RecallAcceptance(id, null, Existed: true);
        }

        if (requester is not null && await ImageRefusalAsync(request.ImageId, "imageId", requester, needsActive: false, cancellationToken) is { } hidden)
        {
            return new RecallAcceptance(id, hidden);
        }

        if (requester is not null && request.SuccessorImageId is { } successor && await ImageRefusalAsync(successor, "successorImageId", requester, needsActive: true, cancellationToken) is { } noSuccessor)
        {
            return new RecallAcceptance(id, noSuccessor);
        }

        var holders = await HoldersAsync(request, named, cancellationToken);
        var successorPresent = request.SuccessorImageId is { } next
            ? (await VimCopyLedger.VimsOfAsync(db, next, cancellationToken)).Intersect(holders, StringComparer.Ordinal).ToList()
            : [];
        if (dryRun)
        {
            return new RecallAcceptance(id, null, holders.Count, successorPresent.Count, DryRun: new RecallDryRunResource(
                request.ImageId, request.Action, request.SuccessorImageId, holders, await TenantsAsync(request.ImageId, holders, cancellationToken), successorPresent));
        }

        if (holders.Count == 0)
        {
            return new RecallAcceptance(id, new DistributionRefusal(StatusCodes.Status409Conflict, "imageId",
                $"Image Manager records no copy of image {request.ImageId} on the chosen VIMs; there is nothing to recall.", "Nothing to recall"));
        }

        var now = clock.GetUtcNow();
        var workId = NewId.NextSequentialGuid();
        var present = successorPresent.ToHashSet(StringComparer.Ordinal);
        var lacking = request.Action == RecallActions.Replace ? holders.Where(v => !present.Contains(v)).ToList() : [];
        Guid? successorDistributionId = null;
        if (lacking.Count > 0)
        {
            successorDistributionId = NewId.NextSequentialGuid();
            var accepted = await distributions.CreateAsync(new DistributeRequested
            {
                DistributionId = successorDistributionId.Value,
                ImageId = request.SuccessorImageId!.Value,
                VimIds = lacking,
                RequestedAt = now,
            }, requester, responseAddress: null, requestId: null, cancellationToken);
            if (accepted.Refusal is { } refused)
            {
                return new RecallAcceptance(id, refused with { Field = refused.Field == "imageId" ? "successorImageId" : refused.Field });
            }
        }

        var recall = new DistributionState { CorrelationId = id, CurrentState = "Distributing" };
        // Operators' only (no tenant): a recall reaches every tenant's VIMs. Its targets are all started: the work is its children's.
        TargetPlan.StartAllAtOnce(recall, DistributionKinds.Recall, request.ImageId, tenant: null, request.RequestedAt, request.RetryOf, holders, now);
        // The work: one removal (remove, replace) or one deactivation (deactivate) over the holders.
        var deactivates = request.Action == RecallActions.Deactivate;
        var work = new DistributionState { CorrelationId = workId, CurrentState = "Distributing" };
        TargetPlan.StartAllAtOnce(work, deactivates ? DistributionKinds.Deactivation : DistributionKinds.Removal, request.ImageId, tenant: null, now, retryOf: null, holders, now);
        foreach (var target in work.Targets.Where(t => lacking.Contains(t.VimId)))
        {
            target.DispatchedAt = null; // sent by RecallProgress once the successor is active on its VIM
        }

        db.Distributions.AddRange(recall, work);
        db.Add(new Recall
        {
            Id = id,
            ImageId = request.ImageId,
            Action = request.Action,
            ReasonKind = request.Reason.Kind!,
            CveId = request.Reason.CveId?.Trim().ToUpperInvariant(),
            ReasonText = OutsideText.Sanitise(request.Reason.Text, MaxReasonLength),
            SuccessorImageId = request.SuccessorImageId,
            CreatedAt = now,
        });
        db.Add(new RecallChild { ChildId = workId, RecallId = id, Role = deactivates ? RecallChild.DeactivationRole : RecallChild.RemovalRole });
        if (successorDistributionId is { } child)
        {
            db.Add(new RecallChild { ChildId = child, RecallId = id, Role = RecallChild.SuccessorRole });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new RecallAcceptance(id, null, Existed: true);
        }

        await bus.Publish(new DistributionStartRecorded { DistributionId = id }, cancellationToken);
        await bus.Publish(new DistributionStartRecorded { DistributionId = workId }, cancellationToken);

        // The successor's targets may have finished before the recall was written: their changes found no recall then.
        await RecallProgress.AdvanceAsync(db, bus, sends, id, null, now, cancellationToken);
        return new RecallAcceptance(id, null, holders.Count, present.Count);
    }

    /// <summary>The VIMs where Image Manager recorded a copy of the image, narrowed by the named VIMs and the selector, in id order.</summary>
    async Task<List<string>> HoldersAsync(StartRecall request, List<string> named, CancellationToken cancellationToken)
    {
        var holders = await VimCopyLedger.VimsOfAsync(db, request.ImageId, cancellationToken);
        if (named.Count > 0)
        {
            holders = holders.Intersect(named, StringComparer.Ordinal).ToList();
        }

        if (request.Selector is { } selector)
        {
            var chosen = (await TargetPlan.SelectAsync(db, selector, vimTypes: null, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            holders = holders.Where(chosen.Contains).ToList();
        }

        return holders.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The tenants whose distributions put the image on these VIMs (null: Image Manager's own, or from before tenants).</summary>
    async Task<List<string?>> TenantsAsync(Guid imageId, List<string> vimIds, CancellationToken cancellationToken) =>
        await db.Distributions.AsNoTracking()
            .Where(d => d.ImageId == imageId && d.Kind == DistributionKinds.Distribution)
            .Join(db.Targets.Where(t => vimIds.Contains(t.VimId) && (t.State == TargetStates.Active || t.State == TargetStates.Skipped)),
                d => d.CorrelationId, t => t.DistributionId, (d, t) => d.Tenant)
            .Distinct()
            .OrderBy(t => t)
            .ToListAsync(cancellationToken);

    static DistributionRefusal? Invalid(StartRecall request, List<string> named)
    {
        if (!RecallActions.All.Contains(request.Action))
        {
            return Refuse("action", $"action is one of {string.Join(", ", RecallActions.All)}; got '{OutsideText.Sanitise(request.Action, 40)}'.");
        }

        var reason = request.Reason;
        if (reason.Kind is null || !RecallReasonKinds.All.Contains(reason.Kind))
        {
            return Refuse("reason.kind", $"reason.kind is one of {string.Join(", ", RecallReasonKinds.All)}.");
        }

        if (reason.Kind == RecallReasonKinds.Cve && (reason.CveId is null || !CveIdPattern().IsMatch(reason.CveId.Trim())))
        {
            return Refuse("reason.cveId", "reason.cveId names the vulnerability as CVE-<year>-<number> (e.g. CVE-2024-3094).");
        }

        if (reason.Kind != RecallReasonKinds.Cve && reason.CveId is not null)
        {
            return Refuse("reason.cveId", "reason.cveId is only for reason.kind 'cve'.");
        }

        if (reason.Kind == RecallReasonKinds.Other && string.IsNullOrWhiteSpace(reason.Text))
        {
            return Refuse("reason.text", "reason.text says why, for reason.kind 'other'.");
        }

        if (reason.Text is { Length: > MaxReasonLength })
        {
            return Refuse("reason.text", $"reason.text is at most {MaxReasonLength} characters.");
        }

        if (request.Action == RecallActions.Replace && request.SuccessorImageId is null)
        {
            return Refuse("successorImageId", "successorImageId is required for action 'replace': the image put on each VIM before the recalled one comes off.");
        }

        if (request.Action != RecallActions.Replace && request.SuccessorImageId is not null)
        {
            return Refuse("successorImageId", "successorImageId is only for action 'replace'.");
        }

        if (request.SuccessorImageId == request.ImageId)
        {
            return Refuse("successorImageId", "successorImageId names another image than the recalled one.");
        }

        if (named.Count > DistributionCreation.MaxTargets)
        {
            return Refuse("vimIds", $"vimIds names at most {DistributionCreation.MaxTargets} VIMs; choose more with a selector.");
        }

        // Only the selector's form is checked: without VIMs or a selector, the recall covers every VIM that holds the image.
        return request.Selector is null ? null : TargetChoice.Problem(request.Selector, 1, "the VIMs to recall the image from");
    }

    async Task<DistributionRefusal?> ImageRefusalAsync(Guid imageId, string field, ForwardedCaller requester, bool needsActive, CancellationToken cancellationToken)
    {
        var answer = await catalog.GetAsync(imageId, requester, cancellationToken);
        if (answer.Image is { } image)
        {
            return !needsActive || image.Status == "active" ? null
                : new DistributionRefusal(StatusCodes.Status409Conflict, field, $"Image {imageId} is '{image.Status}'; only an active image can be the successor.", "Image not active");
        }

        return answer.StatusCode == StatusCodes.Status404NotFound
            ? new DistributionRefusal(StatusCodes.Status404NotFound, field, answer.Detail ?? $"There is no image {imageId}.", "Not Found")
            : new DistributionRefusal(StatusCodes.Status503ServiceUnavailable, null,
                $"The catalogue could not say whether image {imageId} may be recalled (it answered {answer.StatusCode}); try again.");
    }

    static DistributionRefusal Refuse(string field, string detail) => new(StatusCodes.Status400BadRequest, field, detail);

    [GeneratedRegex(@"^CVE-\d{4}-\d{4,19}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CveIdPattern();
}
