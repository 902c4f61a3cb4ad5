using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Budgets;

/// <summary>
/// The estimate made before a distribution starts (<see cref="DurationEstimate"/>), from the image's size as validation
/// told this service, the target VIMs' caps as registered, in one query each, and the hubs their regions have for
/// those that pull (<see cref="HubDirectory"/>).
/// </summary>
public sealed class DistributionEstimator(DistributionDbContext db, HubDirectory hubDirectory, IOptions<BudgetOptions> options)
{
    public async Task<DurationEstimate> EstimateAsync(Guid imageId, IReadOnlyList<string> targets, DistributionStrategy? strategy, CancellationToken cancellationToken)
    {
        var size = await db.Images.AsNoTracking().Where(i => i.Id == imageId).Select(i => (long?)i.SizeBytes).FirstOrDefaultAsync(cancellationToken);
        if (size is not { } bytes)
        {
            return new DurationEstimate(null, null, "The image's size is not known here yet: no estimate.");
        }

        var vims = await db.Vims.AsNoTracking().Where(v => targets.Contains(v.Id))
            .Select(v => new { v.Id, v.BandwidthLimitBytesPerSecond, v.UploadMode, v.Region })
            .ToDictionaryAsync(v => v.Id, StringComparer.Ordinal, cancellationToken);
        var hubOfRegion = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var region in vims.Values.Where(v => v.UploadMode == VimUploadModes.WebDownload && v.Region is not null).Select(v => v.Region!).Distinct(StringComparer.Ordinal))
        {
            hubOfRegion[region] = (await hubDirectory.ForRegionAsync(region, cancellationToken))?.Id;
        }

        var hubs = targets.Select(t => vims.GetValueOrDefault(t) is { UploadMode: VimUploadModes.WebDownload, Region: { } region } ? hubOfRegion[region] : null).ToList();
        return DurationEstimate.Of(bytes, targets.Select(t => vims.GetValueOrDefault(t)?.BandwidthLimitBytesPerSecond).ToList(),
            strategy?.MaxParallel, strategy?.CanarySize, options.Value.UplinkBytesPerSecond, hubs);
    }

    /// <summary>The estimate as the API shows it, for a distribution requested at <paramref name="requestedAt"/>.</summary>
    public static DistributionEstimateResource? Resource(double? durationSeconds, double? lastStartSeconds, string? basis, DateTimeOffset requestedAt, DateTimeOffset? deadline)
    {
        if (basis is null)
        {
            return null;
        }

        bool? met = deadline is { } due && lastStartSeconds is { } lastStart ? requestedAt.AddSeconds(lastStart) <= due : null;
        return new DistributionEstimateResource(
            durationSeconds,
            lastStartSeconds,
            durationSeconds is { } duration ? requestedAt.AddSeconds(duration) : null,
            met,
            basis,
            met == false ? $"By the estimate the last target starts at {requestedAt.AddSeconds(lastStartSeconds!.Value):O}, after the deadline {deadline:O}: targets not started by then will be cancelled." : null);
    }
}
