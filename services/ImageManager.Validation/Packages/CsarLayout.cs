using System.Security.Cryptography;
using System.Text;
using ImageManager.Validation.Archives;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Recognises an ETSI SOL004 CSAR while its zip is walked, and checks it afterwards: the manifest named by
/// <c>TOSCA-Metadata/TOSCA.meta</c> (<c>ETSI-Entry-Manifest</c>), or the one <c>.mf</c> file at the root, lists
/// <c>Source</c> / <c>Algorithm</c> / <c>Hash</c> for the package's files; every listed file must be in the archive
/// with that digest. Every file is hashed once, as it streams past (SHA-256 and SHA-512, the algorithms SOL004 names).
/// Disk images in the package (known by their extension) must be listed: they are what VIMs will boot, so nothing
/// unlisted is extracted; the listed ones are <see cref="Images"/>.
/// </summary>
public sealed class CsarLayout
{
    const string ToscaMeta = "TOSCA-Metadata/TOSCA.meta";

    /// <summary>The metadata and manifest files are small; anything larger is not read into memory.</summary>
    const int MaxTextFile = 1024 * 1024;

    readonly Dictionary<string, (string Sha256, string Sha512)> _digests = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    readonly List<CsarImage> _images = [];

    /// <summary>The package's disk images, each matched to its manifest entry; known once <see cref="FindProblem"/> found none.</summary>
    public IReadOnlyList<CsarImage> Images => _images;

    public async Task AddAsync(ArchiveEntry entry, Stream? content, CancellationToken cancellationToken)
    {
        if (entry.Kind != ArchiveEntryKind.File || content is null)
        {
            return;
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var keepText = entry.Name == ToscaMeta || IsRootManifest(entry.Name);
        using var text = keepText ? new MemoryStream() : null;
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            sha512.AppendData(buffer, 0, read);
            if (text is not null && text.Length + read <= MaxTextFile)
            {
                text.Write(buffer, 0, read);
            }
        }

        _digests[entry.Name] = (Convert.ToHexStringLower(sha256.GetHashAndReset()), Convert.ToHexStringLower(sha512.GetHashAndReset()));
        if (text is not null)
        {
            _texts[entry.Name] = Encoding.UTF8.GetString(text.ToArray());
        }
    }

    /// <summary>The manifest's path, when the zip is a CSAR.</summary>
    public string? ManifestPath =>
        _texts.TryGetValue(ToscaMeta, out var meta) && Field(meta, "ETSI-Entry-Manifest") is { } named
            ? named
            : _texts.Keys.SingleOrDefault(IsRootManifest) is { } root && _texts.Keys.Count(IsRootManifest) == 1 ? root : null;

    public bool IsCsar => ManifestPath is not null;

    /// <summary>Why the CSAR fails its manifest, or <c>null</c>.</summary>
    public string? FindProblem()
    {
        var manifestPath = ManifestPath!;
        if (!_texts.TryGetValue(manifestPath, out var manifest))
        {
            return _digests.ContainsKey(manifestPath)
                ? $"The CSAR's manifest '{manifestPath}' is larger than {MaxTextFile} bytes."
                : $"TOSCA.meta names the manifest '{manifestPath}', which is not in the package.";
        }

        var entries = Parse(manifest);
        if (entries.Count == 0)
        {
            return $"The CSAR's manifest '{manifestPath}' lists no Source entries, so nothing in the package is vouched for.";
        }

        var listed = new Dictionary<string, CsarManifestEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (Uri.TryCreate(entry.Source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                continue; // an artifact outside the package; fetched and checked when it is onboarded, not here
            }

            if (entry.Algorithm is null || entry.Hash is null)
            {
                return $"The manifest entry for '{entry.Source}' lacks its Algorithm or Hash.";
            }

            if (!_digests.TryGetValue(entry.Source.TrimStart('/'), out var digests))
            {
                return $"The manifest lists '{entry.Source}', which is not in the package.";
            }

            var actual = entry.Algorithm.ToUpperInvariant() switch
            {
                "SHA-256" or "SHA256" => digests.Sha256,
                "SHA-512" or "SHA512" => digests.Sha512,
                _ => null,
            };
            if (actual is null)
            {
                return $"The manifest entry for '{entry.Source}' uses the algorithm '{entry.Algorithm}'; SHA-256 and SHA-512 are verified.";
            }

            if (!string.Equals(actual, entry.Hash, StringComparison.OrdinalIgnoreCase))
            {
                return $"'{entry.Source}' does not match the manifest: {entry.Algorithm} expected {entry.Hash.ToLowerInvariant()}, actual {actual}.";
            }

            listed[entry.Source.TrimStart('/')] = entry;
        }

        foreach (var (path, digests) in _digests.Where(file => CsarImageFiles.IsDiskImage(file.Key)).OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            if (!listed.TryGetValue(path, out var entry))
            {
                return $"'{path}' is a disk image the manifest does not list, so nothing vouches for it.";
            }

            _images.Add(new CsarImage(path, digests.Sha256, digests.Sha512, entry.Algorithm!, entry.Hash!.ToLowerInvariant()));
        }

        return null;
    }

    static bool IsRootManifest(string name) => !name.Contains('/', StringComparison.Ordinal) && name.EndsWith(".mf", StringComparison.OrdinalIgnoreCase);

    static string? Field(string text, string name) =>
        text.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim();

    static List<CsarManifestEntry> Parse(string manifest)
    {
        var entries = new List<CsarManifestEntry>();
        string? source = null, algorithm = null, hash = null;
        foreach (var raw in manifest.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                break; // the manifest's own signature (CMS) follows the entries
            }

            if (line.StartsWith("Source:", StringComparison.Ordinal))
            {
                Flush();
                source = line["Source:".Length..].Trim();
            }
            else if (line.StartsWith("Algorithm:", StringComparison.Ordinal))
            {
                algorithm = line["Algorithm:".Length..].Trim();
            }
            else if (line.StartsWith("Hash:", StringComparison.Ordinal))
            {
                hash = line["Hash:".Length..].Trim();
            }
        }

        Flush();
        return entries;

        void Flush()
        {
            if (source is not null)
            {
                entries.Add(new CsarManifestEntry(source, algorithm, hash));
            }

            (source, algorithm, hash) = (null, null, null);
        }
    }
}
