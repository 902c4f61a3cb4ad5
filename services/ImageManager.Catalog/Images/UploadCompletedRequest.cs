namespace ImageManager.Catalog.Images;

/// <summary>Sent by the Api once the bytes are in the blob store: what it measured.</summary>
public sealed record UploadCompletedRequest(string Sha256, string? Sha512, long SizeBytes, string? UploadedBy = null);
