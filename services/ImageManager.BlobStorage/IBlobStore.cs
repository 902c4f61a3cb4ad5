namespace ImageManager.BlobStorage;

/// <summary>
/// Content-addressed storage of image bytes, keyed by SHA-256: on the file system (<see cref="FileSystemBlobStore"/>) or in an
/// S3 bucket (<see cref="S3BlobStore"/>), chosen by <c>BlobStore:Kind</c>.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store, computing its SHA-256 (its address) in the same pass. SHA-512
    /// is left to Validation, which re-reads every blob anyway: on the ingest path it would cost a core.
    /// The blob becomes visible only once complete; a failed or cancelled write leaves nothing behind.
    /// </summary>
    Task<StoredBlob> PutAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a stored blob for reading, or returns <c>null</c> when there is none with that address. The stream knows
    /// its length and seeks (HTTP Range downloads, format inspection).
    /// </summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Removes a blob; nothing happens when there is none with that address.</summary>
    Task DeleteAsync(string sha256, CancellationToken cancellationToken);
}
