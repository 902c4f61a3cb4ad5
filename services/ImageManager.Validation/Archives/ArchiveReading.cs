namespace ImageManager.Validation.Archives;

/// <summary>The outcome of walking an archive: the reason it was refused (null when safe), how many entries and expanded bytes it had.</summary>
public sealed record ArchiveReading(string? Problem, int Entries, long ExpandedBytes)
{
    public bool Safe => Problem is null;
}
