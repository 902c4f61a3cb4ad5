using System.Collections.Concurrent;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// Which repository of a registry was last seen holding a blob: the source of a cross-repository mount, which makes the
/// registry link the blob instead of receiving it again. Only a hint: a failed mount falls back to an upload.
/// </summary>
public sealed class OciBlobLocations
{
    const int MaxEntries = 100_000;

    readonly ConcurrentDictionary<string, string> _repositories = new(StringComparer.Ordinal);

    public string? Find(Uri registry, string digest) => _repositories.GetValueOrDefault($"{registry}\n{digest}");

    public void Remember(Uri registry, string digest, string repository)
    {
        if (_repositories.Count >= MaxEntries)
        {
            _repositories.Clear();
        }

        _repositories[$"{registry}\n{digest}"] = repository;
    }
}
