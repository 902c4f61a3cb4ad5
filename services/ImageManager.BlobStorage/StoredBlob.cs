namespace ImageManager.BlobStorage;

/// <summary>
/// A blob as stored: its address (<see cref="Sha256"/>), its length, and its SHA-512 when it was asked for (the blob
/// store does not compute it: Validation does, as it re-reads every blob anyway). Digests are lower-case hex.
/// </summary>
public sealed record StoredBlob(string Sha256, string? Sha512, long Length);
