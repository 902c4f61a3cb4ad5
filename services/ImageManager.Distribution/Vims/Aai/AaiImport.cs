using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims.Bulk;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims.Aai;

/// <summary>
/// Imports VIMs from A&amp;AI's cloud regions: reads them all (<see cref="AaiClient"/>), maps each to a registration
/// (<see cref="AaiRegionMapping"/>) and writes them with the bulk upsert, so an import that finds nothing new changes
/// nothing. VIMs it manages carry the tag <see cref="Tag"/>; one of them whose region A&amp;AI no longer lists is reported
/// as vanished and kept: distributions and copies may still name it, and only an operator knows whether the cloud is gone
/// or A&amp;AI's record is. A VIM of the same id registered otherwise (without the tag) is left alone.
/// </summary>
public sealed class AaiImport(
    AaiClient aai,
    VimBulkUpsert upsert,
    IDbContextFactory<DistributionDbContext> contexts,
    IOptions<AaiOptions> options,
    IOptions<DistributionOptions> addresses,
    TimeProvider clock,
    ILogger<AaiImport> logger)
{
    /// <summary>The tag of the VIMs that A&amp;AI's inventory keeps up to date.</summary>
    public const string Tag = "aai";

    /// <summary>Whether an A&amp;AI is configured (<c>Aai:BaseUrl</c>).</summary>
    public bool Configured => options.Value.BaseUrl is not null;

    /// <summary>One import; <see cref="AaiUnavailableException"/> when A&amp;AI cannot be read (then nothing is written).</summary>
    public async Task<AaiImportReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        var regions = await aai.CloudRegionsAsync(cancellationToken);
        var listed = regions.Select(AaiRegionMapping.VimIdOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

        Dictionary<string, Vim> existing;
        List<string> managed;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            existing = await db.Vims.AsNoTracking().Where(v => listed.Contains(v.Id)).ToDictionaryAsync(v => v.Id, StringComparer.Ordinal, cancellationToken);
            managed = await db.Vims.AsNoTracking().Where(v => v.Tags.Contains(Tag)).Select(v => v.Id).ToListAsync(cancellationToken);
        }

        var skipped = new List<AaiSkippedRegion>();
        var registrations = new List<RegisterVimRequest>();
        var mapped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            var vimId = AaiRegionMapping.VimIdOf(region) ?? "(no id)";
            var (registration, reason) = AaiRegionMapping.Map(region, existing.GetValueOrDefault(vimId), addresses.Value);
            if (registration is not null && !mapped.Add(vimId))
            {
                reason = $"another cloud region already makes VIM '{vimId}' (the ids join cloud-owner and cloud-region-id with '_').";
            }
            else if (registration is not null)
            {
                registrations.Add(registration);
                continue;
            }

            skipped.Add(new AaiSkippedRegion(vimId, reason!));
        }

        var (created, updated, unchanged) = (0, 0, 0);
        foreach (var chunk in registrations.Chunk(VimBulkUpsert.MaxVims))
        {
            var outcome = await upsert.UpsertAsync(chunk, cancellationToken);
            if (outcome.Result is not { } done)
            {
                // Only a VIM re-registered with another type between the read above and the write; the next import sees it.
                skipped.AddRange(chunk.Select(r => new AaiSkippedRegion(r.Id!, $"the registry changed during the import: {string.Join(" ", outcome.Errors.SelectMany(e => e.Value))}")));
                continue;
            }

            (created, updated, unchanged) = (created + done.Created, updated + done.Updated, unchanged + done.Unchanged);
        }

        var vanished = managed.Except(listed, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var report = new AaiImportReport(aai.CollectionUrl, regions.Count, created, updated, unchanged, skipped, vanished, startedAt, clock.GetUtcNow());
        logger.LogInformation(
            "A&AI import from {Source}: {Regions} cloud regions; {Created} VIMs registered, {Updated} changed, {Unchanged} as they were; {Skipped} regions skipped; {Vanished} imported VIMs no longer in A&AI (kept): {VanishedIds}",
            report.Source, report.Regions, created, updated, unchanged, skipped.Count, vanished.Count, string.Join(", ", vanished.Take(100)));
        foreach (var region in skipped.Take(100))
        {
            logger.LogWarning("A&AI import skipped cloud region {VimId}: {Reason}", region.VimId, region.Reason);
        }

        return report;
    }
}
