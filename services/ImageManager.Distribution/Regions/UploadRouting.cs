using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Regions;

/// <summary>
/// Which queue a target's upload goes to, chosen at the send: a VIM that takes pushes, in a region a hub serves (and
/// whose name can name a queue), goes to that region's queue, for the region's workers to push through the hub; every
/// other target to the central queue. A VIM that pulls stays central: the central worker gives it a link through its
/// hub (<see cref="HubRoutes"/>), and moves no byte itself. With no hub registered this costs nothing (the hubs are
/// known from <see cref="HubDirectory"/>'s cache); otherwise one indexed query per send.
/// </summary>
public sealed class UploadRouting(HubDirectory hubs, IDbContextFactory<DistributionDbContext> contexts)
{
    /// <summary>The targets grouped by queue, each group in the order given (central first).</summary>
    public async Task<IReadOnlyList<UploadRoute>> RouteAsync(IReadOnlyList<string> vimIds, CancellationToken cancellationToken)
    {
        var regions = (await hubs.RegionsAsync(cancellationToken)).Where(RegionalQueues.Fits).ToArray();
        if (regions.Length == 0 || vimIds.Count == 0)
        {
            return [new UploadRoute(null, vimIds)];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = vimIds.Distinct(StringComparer.Ordinal).ToArray();
        var regional = await db.Vims.AsNoTracking()
            .Where(v => ids.Contains(v.Id) && v.Region != null && regions.Contains(v.Region) && v.UploadMode != VimUploadModes.WebDownload)
            .Select(v => new { v.Id, v.Region })
            .ToDictionaryAsync(v => v.Id, v => v.Region!, StringComparer.Ordinal, cancellationToken);
        return [.. vimIds.GroupBy(id => regional.GetValueOrDefault(id))
            .OrderBy(group => group.Key is not null)
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new UploadRoute(group.Key, [.. group]))];
    }

    /// <summary>
    /// Sends the uploads of these targets, each to its queue, <see cref="DistributionStartRecordedConsumer.SendChunk"/>
    /// commands in flight at once.
    /// </summary>
    public async Task SendAsync(ConsumeContext context, Guid distributionId, Guid imageId, IReadOnlyList<string> vimIds, CancellationToken cancellationToken)
    {
        foreach (var route in await RouteAsync(vimIds, cancellationToken))
        {
            var uploads = await context.GetSendEndpoint(route.Address);
            foreach (var chunk in route.VimIds.Chunk(DistributionStartRecordedConsumer.SendChunk))
            {
                await uploads.SendBatch(DistributionStartRecordedConsumer.UploadCommands(distributionId, imageId, chunk), cancellationToken)
                    .WaitAsync(cancellationToken);
            }
        }
    }
}
