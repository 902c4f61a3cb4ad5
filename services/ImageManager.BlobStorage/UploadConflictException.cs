namespace ImageManager.BlobStorage;

/// <summary>A resumable upload request that does not fit where the upload stands (wrong offset, changed length, a second writer).</summary>
public sealed class UploadConflictException(string message) : Exception(message);
