namespace ImageManager.Validation.Archives;

/// <summary>What an archive entry makes when unpacked; devices, fifos and exotic tar types are refused before this.</summary>
public enum ArchiveEntryKind
{
    File,
    Directory,
    SymbolicLink,
    HardLink,
}
