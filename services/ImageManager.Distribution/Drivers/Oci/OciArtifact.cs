namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// What one catalogue image becomes in a repository: the name and version it goes under, the blobs to have there (each by
/// its path in the image's bytes), the manifests in the order a registry accepts them (the last is what the tag names),
/// and a pass over the image's bytes that hands each wanted blob's data to a callback, in whatever order they come.
/// </summary>
public sealed record OciArtifact(
    string Name,
    string Version,
    IReadOnlyList<OciBlob> Blobs,
    IReadOnlyList<OciManifestDocument> Manifests,
    Func<IReadOnlySet<string>, Func<string, Stream, Task>, CancellationToken, Task> StreamBlobsAsync)
{
    /// <summary>The document the tag names.</summary>
    public OciManifestDocument Image => Manifests[^1];
}
