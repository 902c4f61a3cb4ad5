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
/// unlisted is extracted; the listed ones are <see cref="Images"/>. The small files a SOL004 signature needs (manifests,
/// certificates, signatures) are kept, for <see cref="CsarSignatureVerifier"/>.
/// </summary>
public sealed class CsarLayout
{
    const string ToscaMeta = "TOSCA-Metadata/TOSCA.meta";

    /// <summary>The metadata, manifest, certificate and signature files are small; anything larger is not read into memory.</summary>
    const int MaxTextFile = 1024 * 1024;

    /// <summary>All the kept files together: a package of a thousand certificates cannot fill the memory.</summary>
    const int MaxKeptBytes = 16 * 1024 * 1024;

    static readonly string[] SignatureFileExtensions = [".cert", ".crt", ".pem", ".cms", ".p7s", ".p7b", ".sig", ".sm"];

    readonly Dictionary<string, (string Sha256, string Sha512)> _digests = new(StringComparer.Ordinal);
    readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    readonly List<CsarImage> _images = [];
    readonly List<CsarManifestEntry> _entries = [];
    long _keptBytes;

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
        var keep = entry.Name == ToscaMeta || entry.Name.EndsWith(".mf", StringComparison.OrdinalIgnoreCase)
            || SignatureFileExtensions.Any(extension => entry.Name.EndsWith(extension, StringComparison.OrdinalIgnoreCase));
        using var text = keep ? new MemoryStream() : null;
        var buffer = new byte[81920];
        var length = 0L;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
            sha256.AppendData(buffer, 0, read);
            sha512.AppendData(buffer, 0, read);
            if (text is not null && text.Length + read <= MaxTextFile)
            {
                text.Write(buffer, 0, read);
            }
        }

        _digests[entry.Name] = (Convert.ToHexStringLower(sha256.GetHashAndReset()), Convert.ToHexStringLower(sha512.GetHashAndReset()));
        if (text is not null && text.Length == length && _keptBytes + length <= MaxKeptBytes)
        {
            _files[entry.Name] = text.ToArray();
            _keptBytes += text.Length;
        }
    }

    /// <summary>The manifest's path, when the zip is a CSAR.</summary>
    public string? ManifestPath =>
        Text(ToscaMeta) is { } meta && Field(meta, "ETSI-Entry-Manifest") is { } named
            ? named
            : _files.Keys.SingleOrDefault(IsRootManifest) is { } root && _files.Keys.Count(IsRootManifest) == 1 ? root : null;

    public bool IsCsar => ManifestPath is not null;

    /// <summary>
    /// SOL004's second option, when the zip is not a CSAR itself: the one <c>.csar</c> at its root, with a <c>.cms</c>
    /// signature of the same name beside it.
    /// </summary>
    public string? SignedCsarPath =>
        !IsCsar && _digests.Keys.Where(name => !name.Contains('/', StringComparison.Ordinal) && name.EndsWith(".csar", StringComparison.OrdinalIgnoreCase)).ToList() is [var csar]
                && _files.ContainsKey(Path.ChangeExtension(csar, ".cms"))
            ? csar
            : null;

    /// <summary>
    /// The signing certificate's file: the one <c>TOSCA.meta</c> names (<c>ETSI-Entry-Certificate</c>), or else a
    /// <c>.cert</c> file beside the manifest with its name (SOL004, 5.3).
    /// </summary>
    public string? EntryCertificatePath =>
        Text(ToscaMeta) is { } meta && Field(meta, "ETSI-Entry-Certificate") is { } named
            ? named
            : ManifestPath is { } manifest ? Path.ChangeExtension(manifest, ".cert") : null;

    /// <summary>The manifest's entries, once <see cref="FindProblem"/> found none.</summary>
    public IReadOnlyList<CsarManifestEntry> Entries => _entries;

    /// <summary>The package's provider as its manifest's metadata names it (<c>vnf_provider_id</c>, <c>vnfd_provider</c>, <c>pnfd_provider</c>).</summary>
    public string? Vendor => ManifestPath is { } path && Text(path) is { } manifest
        ? manifest.Split('\n').Select(line => line.Trim()).TakeWhile(line => !line.StartsWith("Source:", StringComparison.Ordinal))
            .Select(line => (Line: line, Separator: line.IndexOf(':', StringComparison.Ordinal)))
            .Where(item => item.Separator > 0 && item.Line[..item.Separator] is "vnf_provider_id" or "vnfd_provider" or "pnfd_provider")
            .Select(item => item.Line[(item.Separator + 1)..].Trim())
            .FirstOrDefault(vendor => vendor.Length > 0)
        : null;

    /// <summary>A kept file's bytes (the manifest, certificates, signatures), or null when it is not in the package or was too large to keep.</summary>
    public byte[]? File(string path) => _files.GetValueOrDefault(path.TrimStart('/'));

    /// <summary>The SHA-256 and SHA-512 (lower-case hex) measured for a file of the package, when it is in it.</summary>
    public (string Sha256, string Sha512)? Digests(string path) => _digests.TryGetValue(path.TrimStart('/'), out var digests) ? digests : null;

    string? Text(string path) => _files.TryGetValue(path, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Why the CSAR fails its manifest, or <c>null</c>.</summary>
    public string? FindProblem()
    {
        var manifestPath = ManifestPath!;
        if (Text(manifestPath) is not { } manifest)
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

        _entries.AddRange(entries);

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
        string? source = null, algorithm = null, hash = null, signature = null, certificate = null;
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
            else if (line.StartsWith("Signature:", StringComparison.Ordinal))
            {
                signature = line["Signature:".Length..].Trim();
            }
            else if (line.StartsWith("Certificate:", StringComparison.Ordinal))
            {
                certificate = line["Certificate:".Length..].Trim();
            }
        }

        Flush();
        return entries;

        void Flush()
        {
            if (source is not null)
            {
                entries.Add(new CsarManifestEntry(source, algorithm, hash, signature, certificate));
            }

            (source, algorithm, hash, signature, certificate) = (null, null, null, null, null);
        }
    }
}
