namespace ImageManager.Validation.Archives;

/// <summary>
/// Called by <see cref="ArchiveReader"/> for every safe entry, in archive order. <paramref name="content"/> is the entry's
/// data for a file (null otherwise), valid only during the call; what the handler leaves unread is read and counted after it.
/// </summary>
public delegate Task ArchiveEntryHandler(ArchiveEntry entry, Stream? content, CancellationToken cancellationToken);
