namespace ImageManager.Contracts.Vims;

/// <summary>
/// What a VIM can take: uploads at once across distributions and across every Distribution replica (slots leased in
/// PostgreSQL), and bytes per second per upload (null: no cap). The cap paces each upload's own request bodies, so it
/// means the same with any number of replicas; a VIM may receive up to <see cref="MaxConcurrentUploads"/> times it.
/// </summary>
public sealed record VimLimits
{
    public int? MaxConcurrentUploads { get; init; }
    public long? BandwidthBytesPerSecond { get; init; }
}
