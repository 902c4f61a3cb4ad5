namespace ImageManager.BlobStorage;

/// <summary>
/// Content-addressed storage of image bytes, keyed by SHA-256. The file system is the first backend;
/// others (S3-compatible) can come behind this interface.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store, computing its SHA-256 (its address) in the same pass. SHA-512
    /// is left to Validation, which re-reads every blob anyway: on the ingest path it would cost a core.
    /// The blob becomes visible only once complete; a failed or cancelled write leaves nothing behind.
    /// </summary>
    Task<StoredBlob> PutAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a stored blob for reading, or returns <c>null</c> when there is none with that address.</summary>
    Stream? OpenRead(string sha256);

    bool Exists(string sha256);

    /// <summary>Removes a blob; nothing happens when there is none with that address.</summary>
    void Delete(string sha256);
}
