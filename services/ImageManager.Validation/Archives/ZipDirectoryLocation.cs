namespace ImageManager.Validation.Archives;

/// <summary>Where a zip's end-of-central-directory record is, and where it says the central directory is.</summary>
public sealed record ZipDirectoryLocation(long EndRecordOffset, long CentralDirectoryOffset, long CentralDirectorySize);
