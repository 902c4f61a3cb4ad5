using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Hubs;

/// <summary>
/// Where a pulling (web-download) VIM fetches an image: from its region's hub, or from the centre. Through the hub, the
/// link is the centre's with the hub's base URL (same path, same signed query: the hub checks it with the Api). The
/// target's record says which way it went (<c>hub</c>, and <c>hubFallback</c>, why it did not go through its hub):
/// written before the VIM is asked (<see cref="HubWays"/>), for the image-VIM pair of this distribution only. A VIM goes to the centre when its
/// hub is unhealthy (<see cref="HubHealth"/>), and for every attempt after one that went through its hub and failed: the
/// failure may have been the hub's, and the centre always has the bytes. A VIM whose region has no hub is left as it
/// was (no write).
/// </summary>
public sealed class HubRoutes(HubDirectory directory, HubHealth health, HubWays ways, IDbContextFactory<DistributionDbContext> contexts, ILogger<HubRoutes> logger)
{
    /// <summary>The room of distribution_targets.hub_fallback.</summary>
    public const int MaxFallbackLength = 512;

    /// <summary>The URL the VIM is given for this attempt: <paramref name="centreUrl"/> or the same through its hub.</summary>
    public async Task<Uri?> DownloadUrlAsync(Vim vim, Guid distributionId, int attempt, Uri? centreUrl, CancellationToken cancellationToken)
    {
        if (centreUrl is null || vim.UploadMode != VimUploadModes.WebDownload || await directory.ForRegionAsync(vim.Region, cancellationToken) is not { } hub)
        {
            return centreUrl;
        }

        var fallback = attempt > 1 ? await FallbackAfterAsync(distributionId, vim.Id, attempt, cancellationToken) : null;
        if (fallback is null && await health.ProblemAsync(hub, cancellationToken) is { } problem)
        {
            fallback = $"hub '{hub.Id}' was unhealthy ({problem}) at attempt {attempt}: pulled from the centre";
        }

        fallback = OutsideText.Sanitise(fallback, MaxFallbackLength);
        await ways.RecordAsync(distributionId, vim.Id, fallback is null ? hub.Id : null, fallback, cancellationToken);
        if (fallback is not null)
        {
            logger.LogInformation("VIM {VimId} of distribution {DistributionId} pulls from the centre: {Fallback}", vim.Id, distributionId, fallback);
            return centreUrl;
        }

        return new Uri(new Uri(hub.BaseUrl.TrimEnd('/') + "/"), centreUrl.PathAndQuery.TrimStart('/'));
    }

    /// <summary>Why this retry goes to the centre: the last attempt went through a hub, or had already left it; null if neither.</summary>
    async Task<string?> FallbackAfterAsync(Guid distributionId, string vimId, int attempt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var before = await db.Targets.Where(t => t.DistributionId == distributionId && t.VimId == vimId).Select(t => new { t.Hub, t.HubFallback }).FirstOrDefaultAsync(cancellationToken);
        return before switch
        {
            { Hub: { } hub } => $"the pull through hub '{hub}' failed (attempt {attempt - 1}): attempt {attempt} and later pull from the centre",
            { HubFallback: { } earlier } => earlier,
            _ => null,
        };
    }
}
