namespace ImageManager.Validation.Archives;

/// <summary>
/// One entry of a cpio archive as <see cref="CpioReader"/> found it: the name as stored (without its NUL), the mode (file
/// type and permissions), and its data, valid until the next entry is asked for.
/// </summary>
public sealed record CpioEntry(string Name, int Mode, long Size, CpioDataStream Data)
{
    const int TypeMask = 0xF000; // S_IFMT

    /// <summary>The file type bits of <see cref="Mode"/> (S_IFREG, S_IFDIR, S_IFLNK, …).</summary>
    public int FileType => Mode & TypeMask;
}
