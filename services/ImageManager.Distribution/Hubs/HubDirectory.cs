using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Hubs;

/// <summary>
/// Which hub serves which region, as this replica knows it: read from PostgreSQL at most once per
/// <see cref="HubOptions.DirectoryRefresh"/> (tens of rows), so that a thousand pulls starting at once cost no query each.
/// </summary>
public sealed class HubDirectory(IDbContextFactory<DistributionDbContext> contexts, IOptions<HubOptions> options, TimeProvider clock) : IDisposable
{
    readonly SemaphoreSlim _reading = new(1, 1);
    volatile Snapshot? _snapshot;

    /// <summary>The hub serving <paramref name="region"/>, or null (no region, or none serves it).</summary>
    public async Task<Hub?> ForRegionAsync(string? region, CancellationToken cancellationToken)
    {
        if (region is null)
        {
            return null;
        }

        return (await CurrentAsync(cancellationToken)).ByRegion.GetValueOrDefault(region);
    }

    /// <summary>Every region some hub serves.</summary>
    public async Task<IReadOnlyCollection<string>> RegionsAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ByRegion.Keys;

    async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        return snapshot is null || clock.GetUtcNow() - snapshot.ReadAt >= options.Value.DirectoryRefresh ? await ReadAsync(cancellationToken) : snapshot;
    }

    public void Dispose() => _reading.Dispose();

    /// <summary>A hub changed here: the next choice reads them again.</summary>
    public void Forget() => _snapshot = null;

    async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } fresh && clock.GetUtcNow() - fresh.ReadAt < options.Value.DirectoryRefresh)
            {
                return fresh; // read meanwhile by the caller before this one
            }

            var readAt = clock.GetUtcNow();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var hubs = await db.Hubs.AsNoTracking().ToListAsync(cancellationToken);
            var snapshot = new Snapshot(readAt, hubs.SelectMany(h => h.Regions.Select(r => (Region: r, Hub: h)))
                .GroupBy(p => p.Region, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Hub.Id, StringComparer.Ordinal).First().Hub, StringComparer.Ordinal));
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reading.Release();
        }
    }

    sealed record Snapshot(DateTimeOffset ReadAt, Dictionary<string, Hub> ByRegion);
}
