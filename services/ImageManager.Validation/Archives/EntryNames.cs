using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// The path rules for names inside an archive, and for where its links lead. A name must stay inside the folder the
/// archive is unpacked into, whatever extractor does the unpacking and on whichever system: no <c>..</c> segment, no
/// leading <c>/</c>, no drive letter, no backslash (a separator on Windows). A link's target is resolved by its text;
/// that is sound because <c>..</c> may only lead a target, and no entry may lie under a link (see <see cref="SymbolicLinkNames"/>).
/// </summary>
public static class EntryNames
{
    /// <summary>PATH_MAX on Linux: no file system takes a longer path, so a longer name only costs memory.</summary>
    public const int MaxLength = 4096;

    /// <summary>The name without <c>./</c>, empty segments or a trailing slash; throws when the name breaks a rule.</summary>
    public static string Normalize(string name)
    {
        if (name.Length == 0)
        {
            throw new ArchiveRefusedException("an entry has an empty name");
        }

        CheckCharacters(name, $"entry {ReasonText.Quote(name)}");
        if (IsAbsolute(name))
        {
            throw new ArchiveRefusedException($"entry {ReasonText.Quote(name)} is an absolute path");
        }

        var segments = new List<string>();
        foreach (var segment in name.Split('/'))
        {
            if (segment == "..")
            {
                throw new ArchiveRefusedException($"entry {ReasonText.Quote(name)} has a '..' path segment");
            }

            if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>
    /// Where a symbolic link named <paramref name="link"/> (normalised) leads, relative to the archive's root; throws when
    /// it leads outside. A link's target is read from the folder that holds the link.
    /// </summary>
    public static string ResolveSymbolicLink(string link, string target)
    {
        var from = link.Split('/').SkipLast(1);
        return Resolve(from, target, $"symbolic link {ReasonText.Quote(link)}");
    }

    /// <summary>Where a hard link leads: its target is another entry's name, read from the archive's root.</summary>
    public static string ResolveHardLink(string link, string target) =>
        Resolve([], target, $"hard link {ReasonText.Quote(link)}");

    static string Resolve(IEnumerable<string> from, string target, string what)
    {
        if (target.Length == 0)
        {
            throw new ArchiveRefusedException($"{what} has an empty target");
        }

        CheckCharacters(target, $"the target of {what}");
        if (IsAbsolute(target))
        {
            throw new ArchiveRefusedException($"{what} points to an absolute path ({ReasonText.Quote(target)}), outside the archive");
        }

        var path = new List<string>(from);
        var descended = false;
        foreach (var segment in target.Split('/'))
        {
            if (segment == ".." && descended)
            {
                // "dir/../x" is x only while dir is a folder; if dir is itself a link, ".." leaves from where it leads.
                throw new ArchiveRefusedException($"{what} has a '..' after a folder name in its target ({ReasonText.Quote(target)}), which another link could turn outside the archive");
            }

            if (segment == "..")
            {
                if (path.Count == 0)
                {
                    throw new ArchiveRefusedException($"{what} points outside the archive ({ReasonText.Quote(target)})");
                }

                path.RemoveAt(path.Count - 1);
            }
            else if (segment is not ("" or "."))
            {
                path.Add(segment);
                descended = true;
            }
        }

        return string.Join('/', path);
    }

    static void CheckCharacters(string path, string what)
    {
        if (path.Length > MaxLength)
        {
            throw new ArchiveRefusedException($"{what} is longer than {MaxLength} characters");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArchiveRefusedException($"{what} contains a NUL character");
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArchiveRefusedException($"{what} contains a backslash, a path separator on Windows");
        }
    }

    static bool IsAbsolute(string path) =>
        path[0] == '/' || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':');
}
