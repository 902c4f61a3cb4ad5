using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Which VIMs a distribution targets, in which order and waves, and which of them start at once. The rest wait with
/// <see cref="DistributionTarget.DispatchedAt"/> unset until <see cref="TargetDispatcher"/> gives them a slot.
/// </summary>
public static class TargetPlan
{
    /// <summary>The ids of the VIMs a selector chooses now, in id order; only those of <paramref name="vimTypes"/> when given.</summary>
    public static async Task<List<string>> SelectAsync(DistributionDbContext db, VimSelector selector, IReadOnlyList<string>? vimTypes, CancellationToken cancellationToken)
    {
        var query = Selected(db, selector);
        if (vimTypes is not null)
        {
            query = query.Where(v => vimTypes.Contains(v.Type));
        }

        return await query.OrderBy(v => v.Id).Select(v => v.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The VIMs a selector chooses now.</summary>
    public static IQueryable<Vim> Selected(DistributionDbContext db, VimSelector selector)
    {
        var query = db.Vims.AsNoTracking();
        if (!selector.All)
        {
            if (selector.Region is { } region)
            {
                query = query.Where(v => v.Region == region);
            }

            foreach (var tag in selector.Tags ?? [])
            {
                query = query.Where(v => v.Tags.Contains(tag));
            }

            if (!string.IsNullOrEmpty(selector.IdPrefix))
            {
                query = query.Where(v => v.Id.StartsWith(selector.IdPrefix));
            }

            if (selector.Health is { } health)
            {
                query = VimHealthFilter.Apply(query, health);
            }
        }

        return query;
    }

    public static void Start(DistributionState saga, DistributeRequested request, string? tenant, IReadOnlyList<string> vimIds, DateTimeOffset now)
    {
        saga.Tenant = tenant;
        var strategy = request.Strategy;
        saga.Kind = DistributionKinds.Distribution;
        saga.ImageId = request.ImageId;
        saga.RequestedAt = request.RequestedAt;
        saga.RetryOf = request.RetryOf;
        saga.MaxParallel = strategy?.MaxParallel;
        saga.CanarySize = strategy?.CanarySize is > 0 && strategy.CanarySize < vimIds.Count ? strategy.CanarySize : null;
        saga.MaxFailures = strategy?.MaxFailures;
        saga.Deadline = strategy?.Deadline;
        saga.UpdatedAt = now;

        var firstWave = saga.CanarySize ?? vimIds.Count;
        var startNow = Math.Min(firstWave, saga.MaxParallel ?? int.MaxValue);
        saga.Targets = vimIds.Select((vimId, index) => new DistributionTarget
        {
            DistributionId = saga.CorrelationId,
            VimId = vimId,
            State = TargetStates.Pending,
            Wave = index < firstWave ? 0 : 1,
            Sequence = index,
            DispatchedAt = index < startNow ? now : null,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        saga.TargetCount = saga.Targets.Count;
    }

    /// <summary>
    /// A removal's VIMs: the named ones, the selector's, and for a purge also every VIM where Image Manager recorded a copy
    /// the image relies on (what the catalogue saw may lag behind what Distribution recorded).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ResolveRemovalAsync(Func<DistributionDbContext> database, RemoveImageFromVims request, CancellationToken cancellationToken)
    {
        var ids = request.Targets.Select(t => t.VimId).ToList();
        if (request.Selector is { } selector)
        {
            ids.AddRange(await SelectAsync(database(), selector, vimTypes: null, cancellationToken));
        }

        if (!request.KeepImage)
        {
            ids.AddRange(await VimCopyLedger.VimsOfAsync(database(), request.ImageId, cancellationToken));
        }

        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A removal starts every target at once: deleting is cheap for the VIM, and nothing depends on order. Who starts it
    /// marks the row (<see cref="DistributionState.StartPublishedAt"/>): the saga with the row, or the start consumer.
    /// </summary>
    public static void StartRemoval(DistributionState saga, RemoveImageFromVims request, IReadOnlyList<string> vimIds, DateTimeOffset now) =>
        StartAllAtOnce(saga, DistributionKinds.Removal, request.ImageId, request.Tenant, request.RequestedAt, retryOf: null, vimIds, now);

    /// <summary>
    /// A distribution row of <paramref name="kind"/> whose targets, one per VIM in the given order, are all dispatched now
    /// (no strategy, no waves): removals, deactivations and recalls.
    /// </summary>
    public static void StartAllAtOnce(
        DistributionState saga, string kind, Guid imageId, string? tenant, DateTimeOffset requestedAt, Guid? retryOf, IReadOnlyList<string> vimIds, DateTimeOffset now)
    {
        saga.Kind = kind;
        saga.ImageId = imageId;
        saga.Tenant = tenant;
        saga.RequestedAt = requestedAt;
        saga.RetryOf = retryOf;
        saga.UpdatedAt = now;
        saga.Targets = vimIds.Select((vimId, index) => new DistributionTarget
        {
            DistributionId = saga.CorrelationId,
            VimId = vimId,
            State = TargetStates.Pending,
            Sequence = index,
            DispatchedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        saga.TargetCount = saga.Targets.Count;
    }
}
