namespace ImageManager.VimSimulator;

/// <summary>A repository of a simulated registry: the blobs linked into it, its manifests by digest, its tags. Guarded by the registry's lock.</summary>
public sealed class SimulatedRepository
{
    public HashSet<string> Blobs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimulatedManifest> Manifests { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}
