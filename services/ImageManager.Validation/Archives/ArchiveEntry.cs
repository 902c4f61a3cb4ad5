namespace ImageManager.Validation.Archives;

/// <summary>
/// An entry that passed the safety rules. <see cref="Name"/> is normalised (no <c>./</c>, no empty segments, no trailing
/// slash); for a link, <see cref="LinkTarget"/> is the path it reaches inside the archive, the same way normalised, or
/// <c>null</c> when the link was allowed to point outside (a deb's data unpacks into <c>/</c>).
/// </summary>
public sealed record ArchiveEntry(string Name, ArchiveEntryKind Kind, string? LinkTarget);
