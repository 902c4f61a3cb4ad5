namespace ImageManager.Oci;

/// <summary>
/// What one pass through a container image archive keeps, whoever reads it: its files by normalised name (a layer's
/// length, never its bytes; the bytes of small JSON documents), and the links between entries, which <see cref="Find"/>
/// follows, since a manifest's paths may go through them (older Docker links the layers images share). The reader's
/// own rules make names normal (<paramref name="normalize"/>: null for a name that leaves the archive).
/// </summary>
public sealed class ContainerArchiveListing(Func<string, string?> normalize)
{
    /// <summary>Manifests and configs are kilobytes; an image config with a long history stays well under this.</summary>
    public const int MaxJsonDocumentBytes = 4 << 20;

    /// <summary>All JSON documents together: bounds memory whatever the archive holds.</summary>
    public const long MaxJsonTotalBytes = 64L << 20;

    const int MaxLinkHops = 8;

    readonly Dictionary<string, ContainerArchiveFile> _files = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public IEnumerable<ContainerArchiveFile> Files => _files.Values;

    /// <summary>The bytes of every JSON document kept; the reader refuses the archive past <see cref="MaxJsonTotalBytes"/>.</summary>
    public long JsonBytes { get; private set; }

    /// <summary>Keeps a file; its name must already be normal.</summary>
    public void Add(ContainerArchiveFile file)
    {
        JsonBytes += file.Json?.Length ?? 0;
        _files[file.Name] = file;
    }

    /// <summary>Keeps a link (symbolic or hard) from one normal name to another.</summary>
    public void AddLink(string name, string target) => _links[name] = target;

    /// <summary>Whether the archive has an entry (file or link) of that name.</summary>
    public bool Has(string name) => _files.ContainsKey(name) || _links.ContainsKey(name);

    /// <summary>The file a path from a manifest names, through links; null when there is none (or the path leaves the archive).</summary>
    public ContainerArchiveFile? Find(string reference)
    {
        var path = normalize(reference);
        for (var hop = 0; path is not null && hop <= MaxLinkHops; hop++)
        {
            if (_files.TryGetValue(path, out var file))
            {
                return file;
            }

            path = _links.GetValueOrDefault(path);
        }

        return null;
    }
}
