namespace ImageManager.Distribution.Regions;

/// <summary>Targets whose uploads go to one queue: a region's (<paramref name="Region"/>), or the central one (null).</summary>
public sealed record UploadRoute(string? Region, IReadOnlyList<string> VimIds)
{
    public Uri Address => RegionalQueues.BatchAddress(Region);
}
