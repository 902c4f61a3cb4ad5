using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// An image leaves the catalogue (purge, or delete): it is withdrawn first, so no upload creates or adopts a copy of it
/// from then on (one under way deletes what it made), and the targets of its distributions not yet under way are
/// cancelled, so no distribution of it ends "succeeded" afterwards. Its copies are looked up only after this, so none
/// recorded before the withdrawal is missed.
/// </summary>
public static class ImageWithdrawal
{
    public static async Task WithdrawAsync(DistributionDbContext db, IPublishEndpoint bus, Guid imageId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await VimCopyLedger.WithdrawAsync(db, imageId, now, cancellationToken);
        var open = await db.Distributions.AsNoTracking()
            .Where(d => d.ImageId == imageId && d.Kind == DistributionKinds.Distribution && d.CompletedAt == null)
            .Select(d => d.CorrelationId).ToListAsync(cancellationToken);
        foreach (var distributionId in open)
        {
            await PendingTargetCancellation.CancelAsync(db, bus, distributionId, imageId, reason, now, cancellationToken);
        }
    }
}
