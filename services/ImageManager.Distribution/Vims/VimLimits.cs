namespace ImageManager.Distribution.Vims;

/// <summary>What a VIM can take: uploads at once across distributions, and bytes per second per upload (null: no cap).</summary>
public sealed record VimLimits
{
    public int? MaxConcurrentUploads { get; init; }
    public long? BandwidthBytesPerSecond { get; init; }
}
