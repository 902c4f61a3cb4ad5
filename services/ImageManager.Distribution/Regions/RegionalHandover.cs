using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Regions;

/// <summary>
/// Targets a central worker took over from a region's queue (see <see cref="RegionalQueues"/>) are pushed from the
/// centre; their record says so in <c>hubFallback</c>, written once when the central worker takes them.
/// </summary>
public static class RegionalHandover
{
    public static string Reason(string region, bool deadLettered, TimeSpan after) => OutsideText.Sanitise(deadLettered
            ? $"no worker of region '{region}' took the upload within {after} (none running, or it stopped holding it): pushed from the centre"
            : $"region '{region}' has no worker consuming its queue: pushed from the centre",
        HubRoutes.MaxFallbackLength)!;

    public static async Task RecordAsync(IDbContextFactory<DistributionDbContext> contexts, Guid distributionId, IReadOnlyCollection<string> vimIds, string reason,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Targets.Where(t => t.DistributionId == distributionId && vimIds.Contains(t.VimId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Hub, (string?)null).SetProperty(t => t.HubFallback, reason), cancellationToken);
    }
}
