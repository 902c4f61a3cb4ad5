namespace ImageManager.BlobStorage;

/// <summary>Where a resumable upload stands: bytes received so far, and the total announced by the client (if it did).</summary>
public sealed record PartialUpload(long Offset, long? Length)
{
    public bool IsComplete => Length is { } length && Offset == length;
}
