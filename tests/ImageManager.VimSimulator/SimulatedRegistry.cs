namespace ImageManager.VimSimulator;

/// <summary>
/// One virtual OCI registry: blobs by digest (their sizes; the bytes are hashed, never kept), repositories, upload
/// sessions, and counters that let tests see what the driver did (uploads, chunks, mounts, tokens).
/// </summary>
public sealed class SimulatedRegistry
{
    long _blobUploads;
    long _chunks;
    long _mounts;
    long _tokensIssued;
    long _bytesReceived;

    /// <summary>Guards <see cref="Blobs"/>, <see cref="Repositories"/> and <see cref="Uploads"/>.</summary>
    public object Sync { get; } = new();
    public Dictionary<string, long> Blobs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimulatedRepository> Repositories { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimulatedBlobUpload> Uploads { get; } = new(StringComparer.Ordinal);

    /// <summary>Blob uploads completed (<c>PUT ?digest=</c> accepted).</summary>
    public long BlobUploads => Interlocked.Read(ref _blobUploads);

    /// <summary><c>PATCH</c> requests that carried bytes.</summary>
    public long Chunks => Interlocked.Read(ref _chunks);

    /// <summary>Blobs linked by a cross-repository mount.</summary>
    public long Mounts => Interlocked.Read(ref _mounts);

    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    /// <summary>Blob bytes received, all uploads together.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>The manifest a repository serves for a tag or digest, or null.</summary>
    public SimulatedManifest? Manifest(string repository, string reference)
    {
        lock (Sync)
        {
            if (!Repositories.TryGetValue(repository, out var repo))
            {
                return null;
            }

            var digest = repo.Tags.GetValueOrDefault(reference) ?? reference;
            return repo.Manifests.GetValueOrDefault(digest);
        }
    }

    public SimulatedRepository Repository(string name)
    {
        if (!Repositories.TryGetValue(name, out var repository))
        {
            Repositories[name] = repository = new SimulatedRepository();
        }

        return repository;
    }

    internal void CountUpload(long bytes)
    {
        Interlocked.Increment(ref _blobUploads);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void CountChunk() => Interlocked.Increment(ref _chunks);

    internal void CountMount() => Interlocked.Increment(ref _mounts);

    internal void CountToken() => Interlocked.Increment(ref _tokensIssued);
}
