using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// The symbolic links met so far in one archive, to refuse an entry that lies under one: unpacking <c>link/file</c>
/// writes where <c>link</c> leads, which the names alone do not show (a link to <c>..</c> inside a folder, say). Keeps a
/// 64-bit FNV-1a hash of each name, computed so that every folder above an entry is looked up in one pass over its name.
/// </summary>
public sealed class SymbolicLinkNames
{
    const ulong OffsetBasis = 14695981039346656037;
    const ulong Prime = 1099511628211;

    readonly HashSet<ulong> _links = [];

    public void Add(string normalizedName)
    {
        var hash = OffsetBasis;
        foreach (var c in normalizedName)
        {
            hash = (hash ^ c) * Prime;
        }

        _links.Add(hash);
    }

    /// <summary>Throws when a folder above <paramref name="normalizedName"/> is a symbolic link met earlier.</summary>
    public void CheckNotUnderLink(string normalizedName)
    {
        if (_links.Count == 0)
        {
            return;
        }

        var hash = OffsetBasis;
        for (var i = 0; i < normalizedName.Length; i++)
        {
            if (normalizedName[i] == '/' && _links.Contains(hash))
            {
                throw new ArchiveRefusedException(
                    $"entry {ReasonText.Quote(normalizedName)} lies under symbolic link {ReasonText.Quote(normalizedName[..i])}, so unpacking it would write wherever that link leads");
            }

            hash = (hash ^ normalizedName[i]) * Prime;
        }
    }
}
