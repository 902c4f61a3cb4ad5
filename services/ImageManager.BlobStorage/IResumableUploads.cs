namespace ImageManager.BlobStorage;

/// <summary>
/// Uploads that survive broken connections: bytes are appended at a known offset and kept as they arrive, so a
/// client that lost its connection asks for the offset and continues from the last byte received. Keyed by the
/// caller (the Api uses the image id); at most one writer per key at a time.
/// </summary>
public interface IResumableUploads
{
    /// <summary>Where the upload for <paramref name="key"/> stands; offset 0 and no length when nothing arrived yet.</summary>
    Task<PartialUpload> StatusAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="content"/> at <paramref name="offset"/>, which must equal the bytes already received.
    /// <paramref name="length"/> announces the total once; it may not change and the upload may not exceed it.
    /// Whatever arrives before a connection breaks is kept.
    /// </summary>
    Task<PartialUpload> AppendAsync(string key, long offset, long? length, Stream content, CancellationToken cancellationToken);

    /// <summary>Moves a complete upload into the content-addressed store, computing its address (SHA-256) and length.</summary>
    Task<StoredBlob> CompleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Forgets an upload and its bytes.</summary>
    Task DiscardAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Removes uploads that received nothing for <c>BlobStore:ResumableUploadExpiry</c> (and what failed writes left
    /// behind); returns how many it removed. Safe to run on several replicas at once.
    /// </summary>
    Task<int> SweepAsync(CancellationToken cancellationToken);
}
