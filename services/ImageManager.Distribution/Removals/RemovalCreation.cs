using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Removals;

/// <summary>
/// How a removal that a caller asks for comes to be (<c>POST /api/v1/removals</c>, and the retry of a removal's failed
/// targets): checks the image as the caller sees it and the VIMs, then writes the removal with its targets in one
/// transaction, so that it can be read as soon as it is accepted, as a distribution is (<see cref="DistributionCreation"/>);
/// <see cref="DistributionStartRecordedConsumer"/> then sends its deletions from the row. The catalogue's purge of a
/// deleted image stays a command to the saga: nobody waits on its answer, and it also withdraws the image.
/// </summary>
public sealed class RemovalCreation(DistributionDbContext db, CatalogImages catalog, IPublishEndpoint bus, TimeProvider clock)
{
    /// <param name="request">What to take off where (<c>KeepImage</c> is true: the image stays in the catalogue).</param>
    /// <param name="requester">Who asks, as the Catalog should judge what they may see; null for Image Manager itself.</param>
    public async Task<DistributionAcceptance> CreateAsync(RemoveImageFromVims request, ForwardedCaller? requester, CancellationToken cancellationToken)
    {
        var id = request.RemovalId;
        var vimIds = request.Targets.Select(t => t.VimId).Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).ToList();
        if (TargetChoice.Problem(request.Selector, vimIds.Count, "the VIMs to remove the image from") is { } invalid)
        {
            return new DistributionAcceptance(id, invalid);
        }

        if (requester is not null && await ImageRefusalAsync(request.ImageId, requester, cancellationToken) is { } hidden)
        {
            return new DistributionAcceptance(id, hidden);
        }

        var known = await db.Vims.AsNoTracking().Where(v => vimIds.Contains(v.Id)).Select(v => v.Id).ToListAsync(cancellationToken);
        if (vimIds.Except(known, StringComparer.Ordinal).ToList() is { Count: > 0 } unknown)
        {
            return new DistributionAcceptance(id, Refuse("vimIds", $"Unknown VIM id(s): {string.Join(", ", unknown)}."));
        }

        var named = request with { Targets = [.. vimIds.Select(vimId => new VimImageReference { VimId = vimId })] };
        var targets = await TargetPlan.ResolveRemovalAsync(() => db, named, cancellationToken);
        if (targets.Count == 0)
        {
            return new DistributionAcceptance(id, Refuse("selector", "The selector chooses no registered VIM; there would be nothing to remove the image from."));
        }

        var saga = new DistributionState { CorrelationId = id, CurrentState = "Distributing" };
        TargetPlan.StartRemoval(saga, named, targets, clock.GetUtcNow());
        return await DistributionRecording.RecordAndStartAsync(db, bus, saga, cancellationToken)
            ? new DistributionAcceptance(id, null)
            : new DistributionAcceptance(id, null, Existed: true);
    }

    /// <summary>The image must exist for the caller; unlike a distribution, it need not be active (a deprecated image comes off too).</summary>
    async Task<DistributionRefusal?> ImageRefusalAsync(Guid imageId, ForwardedCaller requester, CancellationToken cancellationToken)
    {
        var answer = await catalog.GetAsync(imageId, requester, cancellationToken);
        return answer.Image is not null ? null
            : answer.StatusCode == StatusCodes.Status404NotFound
                ? new DistributionRefusal(StatusCodes.Status404NotFound, "imageId", answer.Detail ?? $"There is no image {imageId}.", "Not Found")
                : new DistributionRefusal(StatusCodes.Status503ServiceUnavailable, null,
                    $"The catalogue could not say whether image {imageId} may be removed (it answered {answer.StatusCode}); try again.");
    }

    static DistributionRefusal Refuse(string field, string detail) => new(StatusCodes.Status400BadRequest, field, detail);
}
