using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using ImageManager.Oci;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Containers;

/// <summary>
/// What one pass through a container image archive keeps (a <see cref="ContainerArchiveListing"/>): every file's length
/// and SHA-256, hashed as it streams by (a layer is never held), the links between entries, and the bytes of small JSON
/// documents, which manifests, configs and indexes are. The verifiers then work from this alone.
/// </summary>
public sealed class ContainerArchiveContents
{
    /// <summary>Container archives name files by digests and short paths; the bound keeps the names kept here small.</summary>
    public const int MaxNameLength = 1024;

    const int BufferSize = 1 << 20;

    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    readonly ContainerArchiveListing _listing = new(NormalizeReference);
    readonly HashSet<string> _reportedDigests = new(StringComparer.Ordinal);

    public IEnumerable<ContainerArchiveFile> Files => _listing.Files;

    /// <summary>An <see cref="ArchiveEntryHandler"/>: hashes a file's bytes as they are read, keeps JSON, records links.</summary>
    public async Task AddAsync(ArchiveEntry entry, Stream? content, CancellationToken cancellationToken)
    {
        if (entry.Name.Length > MaxNameLength)
        {
            throw new ArchiveRefusedException($"entry {ReasonText.Quote(entry.Name)} has a name longer than {MaxNameLength} characters, far longer than a container image archive uses");
        }

        if (entry.Kind is ArchiveEntryKind.SymbolicLink or ArchiveEntryKind.HardLink && entry.LinkTarget is { } target)
        {
            _listing.AddLink(entry.Name, target);
            return;
        }

        if (entry.Kind != ArchiveEntryKind.File || content is null)
        {
            return;
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        MemoryStream? json = null;
        long length = 0;
        var compression = ContainerFileCompression.None;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                if (length == 0)
                {
                    compression = ContainerArchiveFile.CompressionOf(buffer.AsSpan(0, read));
                    json = ContainerArchiveFile.StartsLikeJson(buffer.AsSpan(0, read)) ? new MemoryStream() : null;
                }

                sha256.AppendData(buffer, 0, read);
                length += read;
                if (json is not null && json.Length + read > ContainerArchiveListing.MaxJsonDocumentBytes)
                {
                    json = null; // too large for a manifest or config: only its digest matters
                }

                json?.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _listing.Add(new ContainerArchiveFile(entry.Name, length, compression, json?.ToArray(), Convert.ToHexStringLower(sha256.GetHashAndReset())));
        if (_listing.JsonBytes > ContainerArchiveListing.MaxJsonTotalBytes)
        {
            throw new ArchiveRefusedException(
                $"the archive holds more than {ReasonText.Size(ContainerArchiveListing.MaxJsonTotalBytes)} of JSON documents, far more than any image's manifests and configs");
        }
    }

    /// <summary>Whether the archive has an entry (file or link) of that name.</summary>
    public bool Has(string name) => _listing.Has(name);

    /// <summary>The file a path from a manifest names, through links; null when there is none (or the path leaves the archive).</summary>
    public ContainerArchiveFile? Find(string reference) => _listing.Find(reference);

    /// <summary>A JSON document of the archive; null, with the problem added, when it is not one or does not parse.</summary>
    public T? ReadDocument<T>(ContainerArchiveFile file, string what, List<string> problems)
        where T : class
    {
        if (file.Json is not { } json)
        {
            problems.Add($"{what} is not a JSON document of at most {ReasonText.Size(ContainerArchiveListing.MaxJsonDocumentBytes)}");
            return null;
        }

        try
        {
            var document = JsonSerializer.Deserialize<T>(json, JsonOptions);
            if (document is null)
            {
                problems.Add($"{what} is empty (JSON null)");
            }

            return document;
        }
        catch (JsonException error)
        {
            problems.Add($"{what} is not valid JSON ({error.Message.TrimEnd('.')})");
            return null;
        }
    }

    /// <summary>
    /// Whether a file's SHA-256 is <paramref name="expectedHex"/>; when not, adds the problem, once per file however many
    /// documents name it.
    /// </summary>
    public bool CheckDigest(ContainerArchiveFile file, string expectedHex, Func<string> problem, List<string> problems)
    {
        if (file.Sha256 == expectedHex)
        {
            return true;
        }

        if (_reportedDigests.Add(file.Name))
        {
            problems.Add(problem());
        }

        return false;
    }

    /// <summary>Whether a file's digest was already found wrong.</summary>
    public bool DigestReported(string name) => _reportedDigests.Contains(name);

    /// <summary>A manifest's path by the archive rules; null when it breaks them, as no entry can have such a name.</summary>
    static string? NormalizeReference(string reference)
    {
        try
        {
            return EntryNames.Normalize(reference);
        }
        catch (ArchiveRefusedException)
        {
            return null;
        }
    }
}
