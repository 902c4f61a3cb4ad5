using System.Formats.Tar;
using System.IO.Compression;
using ImageManager.Oci;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// What the driver needs of a container image archive (a <c>docker save</c> archive or an OCI image layout, as a tar or
/// a gzip-compressed tar): one pass lists every file's name and length, the links between entries and the small JSON
/// documents (manifests, configs, indexes), never a layer; <see cref="WalkAsync"/> then streams the files to upload in
/// archive order. Validation has already proved the archive safe and its digests right; the registry checks them again.
/// </summary>
public static class ContainerArchiveReader
{
    public static async Task<ContainerArchiveListing> ReadAsync(Func<Stream> open, CancellationToken cancellationToken)
    {
        var archive = new ContainerArchiveListing(Normalize);
        var head = new byte[ContainerArchiveFile.HeadLength];
        await using var tar = await OpenTarAsync(open, cancellationToken);
        await using var reader = new TarReader(tar);
        while (await ReadEntryAsync(reader, cancellationToken) is { } entry)
        {
            var name = Normalize(entry.Name);
            if (name is null)
            {
                continue;
            }

            if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            {
                var target = entry.EntryType == TarEntryType.SymbolicLink && !entry.LinkName.StartsWith('/')
                    ? Normalize(Path.GetDirectoryName(name) is { Length: > 0 } folder ? $"{folder}/{entry.LinkName}" : entry.LinkName)
                    : Normalize(entry.LinkName);
                if (target is not null)
                {
                    archive.AddLink(name, target);
                }

                continue;
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
            {
                continue;
            }

            var data = entry.DataStream;
            var read = data is null || entry.Length == 0 ? 0 : await data.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            byte[]? json = null;
            if (ContainerArchiveFile.StartsLikeJson(head.AsSpan(0, read)) && entry.Length <= ContainerArchiveListing.MaxJsonDocumentBytes)
            {
                if (archive.JsonBytes + entry.Length > ContainerArchiveListing.MaxJsonTotalBytes)
                {
                    throw new VimRejectedException(
                        $"The container image archive holds more than {ContainerArchiveListing.MaxJsonTotalBytes >> 20} MiB of JSON documents; it is not an image this driver pushes.");
                }

                json = new byte[entry.Length];
                head.AsSpan(0, read).CopyTo(json);
                await data!.ReadExactlyAsync(json.AsMemory(read), cancellationToken);
            }

            archive.Add(new ContainerArchiveFile(name, entry.Length, ContainerArchiveFile.CompressionOf(head.AsSpan(0, read)), json));
        }

        return archive;
    }

    /// <summary>
    /// Reads the archive again and hands each file named in <paramref name="wanted"/> to <paramref name="onFile"/> with its
    /// data, as the archive streams by (nothing is buffered); stops once all were seen.
    /// </summary>
    public static async Task WalkAsync(Func<Stream> open, IReadOnlySet<string> wanted, Func<string, Stream, Task> onFile, CancellationToken cancellationToken)
    {
        var remaining = new HashSet<string>(wanted, StringComparer.Ordinal);
        await using var tar = await OpenTarAsync(open, cancellationToken);
        await using var reader = new TarReader(tar);
        while (remaining.Count > 0 && await ReadEntryAsync(reader, cancellationToken) is { } entry)
        {
            if (Normalize(entry.Name) is { } name && remaining.Remove(name)
                && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
            {
                await onFile(name, entry.DataStream ?? Stream.Null);
            }
        }

        if (remaining.Count > 0)
        {
            throw new VimRejectedException($"The container image archive changed between two reads: {remaining.First()} is missing.");
        }
    }

    /// <summary>The tar itself, or its gzip decompression (the first two bytes tell).</summary>
    static async Task<Stream> OpenTarAsync(Func<Stream> open, CancellationToken cancellationToken)
    {
        var stream = open();
        var magic = new byte[2];
        var read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        if (stream.CanSeek)
        {
            stream.Position = 0;
        }
        else
        {
            await stream.DisposeAsync();
            stream = open();
        }

        return read == 2 && magic is [0x1f, 0x8b] ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    static async Task<TarEntry?> ReadEntryAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new VimRejectedException($"The container image archive cannot be read as a tar: {exception.Message}");
        }
    }

    /// <summary><c>./a//b/</c> → <c>a/b</c>; '..' resolved inside the archive; null for names that leave it or are empty.</summary>
    static string? Normalize(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }
}
