namespace ImageManager.BlobStorage;

/// <summary>
/// Uploads that survive broken connections: bytes are appended at a known offset and kept as they arrive, so a
/// client that lost its connection asks for the offset and continues from the last byte received. Keyed by the
/// caller (the Api uses the image id); at most one writer per key at a time.
/// </summary>
public interface IResumableUploads
{
    /// <summary>Where the upload for <paramref name="key"/> stands; offset 0 and no length when nothing arrived yet.</summary>
    PartialUpload Status(string key);

    /// <summary>
    /// Appends <paramref name="content"/> at <paramref name="offset"/>, which must equal the bytes already received.
    /// <paramref name="length"/> announces the total once; it may not change and the upload may not exceed it.
    /// Whatever arrives before a connection breaks is kept.
    /// </summary>
    Task<PartialUpload> AppendAsync(string key, long offset, long? length, Stream content, CancellationToken cancellationToken);

    /// <summary>Moves a complete upload into the content-addressed store, computing both digests.</summary>
    Task<StoredBlob> CompleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Forgets an upload and its bytes.</summary>
    void Discard(string key);
}
