namespace ImageManager.BlobStorage;

/// <summary>A blob as stored: its address (<see cref="Sha256"/>), its SHA-512 and its length, all lower-case hex.</summary>
public sealed record StoredBlob(string Sha256, string Sha512, long Length);
