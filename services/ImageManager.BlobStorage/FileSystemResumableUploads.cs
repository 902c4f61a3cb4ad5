using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

/// <summary>
/// Resumable uploads on the file system: bytes in <c>{root}/partial/{key}</c>, the announced length beside them in
/// <c>{key}.length</c>. The data file is opened exclusively while written, which keeps a second writer out (also
/// across processes on one node). Completion hashes the file and hands it to the <see cref="FileSystemBlobStore"/>.
/// </summary>
public sealed partial class FileSystemResumableUploads(IOptions<BlobStoreOptions> options, FileSystemBlobStore blobs, TimeProvider clock) : IResumableUploads
{
    readonly BlobStoreOptions _options = options.Value;

    public Task<PartialUpload> StatusAsync(string key, CancellationToken cancellationToken) => Task.FromResult(Status(key));

    PartialUpload Status(string key)
    {
        var data = DataPath(key);
        var offset = File.Exists(data) ? new FileInfo(data).Length : 0;
        return new PartialUpload(offset, ReadLength(key));
    }

    public async Task<PartialUpload> AppendAsync(string key, long offset, long? length, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(PartialRoot);
        FileStream file;
        try
        {
            file = new FileStream(DataPath(key), new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            });
        }
        catch (IOException)
        {
            throw new UploadConflictException("Another upload of this image is in progress; wait for it or resume after it ends.");
        }

        await using (file)
        {
            var known = ReadLength(key);
            if (file.Length != offset)
            {
                throw new UploadConflictException($"Upload-Offset is {offset} but {file.Length} bytes have been received; continue from {file.Length}.");
            }

            if (length is { } announced)
            {
                if (known is { } previous && previous != announced)
                {
                    throw new UploadConflictException($"Upload-Length was announced as {previous}; it cannot change to {announced}.");
                }

                if (announced < offset)
                {
                    throw new UploadConflictException($"Upload-Length {announced} is less than the {offset} bytes already received.");
                }

                await File.WriteAllTextAsync(LengthPath(key), announced.ToString(CultureInfo.InvariantCulture), cancellationToken);
                known = announced;
            }

            file.Position = offset;
            var buffer = ArrayPool<byte>.Shared.Rent(_options.BufferSize);
            try
            {
                // Written as it arrives, not buffered up: a broken connection keeps every byte that came through.
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, _options.BufferSize), cancellationToken)) > 0)
                {
                    if (known is { } total && file.Position + read > total)
                    {
                        throw new UploadConflictException($"The upload goes beyond its announced Upload-Length of {total} bytes.");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);

                // The offset a later HEAD reports is a promise: what it counts must survive a crash.
                file.Flush(flushToDisk: true);
            }

            return new PartialUpload(file.Length, known);
        }
    }

    public async Task<StoredBlob> CompleteAsync(string key, CancellationToken cancellationToken)
    {
        var status = Status(key);
        if (!status.IsComplete)
        {
            throw new UploadConflictException($"The upload has {status.Offset} of {status.Length?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} bytes; it is not complete.");
        }

        var blob = await blobs.AdoptAsync(DataPath(key), cancellationToken);
        File.Delete(LengthPath(key));
        return blob;
    }

    public Task DiscardAsync(string key, CancellationToken cancellationToken)
    {
        // Nothing to forget is fine: most images never had a resumable upload, and the folder may not exist yet.
        foreach (var path in new[] { DataPath(key), LengthPath(key) })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(PartialRoot))
        {
            return Task.FromResult(0);
        }

        // An upload's age is its data's last write; a length without data is as old as the length.
        var before = (clock.GetUtcNow() - _options.ResumableUploadExpiry).UtcDateTime;
        var removed = 0;
        foreach (var file in new DirectoryInfo(PartialRoot).GetFiles().Where(f => f.Extension != ".length" || !File.Exists(Path.ChangeExtension(f.FullName, null))))
        {
            if (file.LastWriteTimeUtc < before && UploadKey().IsMatch(Path.GetFileNameWithoutExtension(file.Name)))
            {
                var key = Path.GetFileNameWithoutExtension(file.Name);
                File.Delete(DataPath(key));
                File.Delete(LengthPath(key));
                removed++;
            }
        }

        return Task.FromResult(removed);
    }

    string PartialRoot => Path.Combine(_options.Root, "partial");

    string DataPath(string key) => Path.Combine(PartialRoot, Checked(key));

    string LengthPath(string key) => Path.Combine(PartialRoot, Checked(key) + ".length");

    long? ReadLength(string key) =>
        File.Exists(LengthPath(key)) ? long.Parse(File.ReadAllText(LengthPath(key)), CultureInfo.InvariantCulture) : null;

    static string Checked(string key) =>
        UploadKey().IsMatch(key) ? key : throw new ArgumentException("An upload key is 1 to 64 letters, digits or '-'.", nameof(key));

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex UploadKey();
}
