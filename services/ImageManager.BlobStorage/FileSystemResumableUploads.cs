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

                // Written aside and renamed over: a status read meanwhile finds the old length or the new one, never half of it.
                var written = LengthPath(key) + ".new";
                await File.WriteAllTextAsync(written, announced.ToString(CultureInfo.InvariantCulture), cancellationToken);
                File.Move(written, LengthPath(key), overwrite: true);
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

        // Claimed by a rename: of two requests completing the same upload at once exactly one moves the bytes away, the
        // other is told (a complete upload takes no more bytes, so no writer is still adding to what is moved).
        var claimed = ClaimedPath(key);
        try
        {
            File.Move(DataPath(key), claimed, overwrite: false);
        }
        catch (IOException)
        {
            throw new UploadConflictException("Another request is completing this upload; its answer says how it ended. Ask HEAD for where the upload stands.");
        }

        StoredBlob blob;
        try
        {
            blob = await blobs.AdoptAsync(claimed, cancellationToken);
        }
        catch (Exception) when (File.Exists(claimed))
        {
            File.Move(claimed, DataPath(key), overwrite: true); // not adopted: the upload stays as it was, to complete again
            throw;
        }

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
            // A file's key is its name up to the first dot: the data, its .length, and what a crash may leave (.length.new, .completing).
            var key = file.Name.Split('.')[0];
            if (file.LastWriteTimeUtc < before && UploadKey().IsMatch(key))
            {
                File.Delete(DataPath(key));
                File.Delete(LengthPath(key));
                file.Delete();
                removed++;
            }
        }

        return Task.FromResult(removed);
    }

    string PartialRoot => Path.Combine(_options.Root, "partial");

    string DataPath(string key) => Path.Combine(PartialRoot, Checked(key));

    string LengthPath(string key) => Path.Combine(PartialRoot, Checked(key) + ".length");

    string ClaimedPath(string key) => Path.Combine(PartialRoot, Checked(key) + ".completing");

    long? ReadLength(string key)
    {
        string text;
        try
        {
            text = File.ReadAllText(LengthPath(key));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // none announced, or the upload completed a moment ago
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : throw new UploadConflictException("The upload's announced length could not be read; ask again (HEAD).");
    }

    static string Checked(string key) =>
        UploadKey().IsMatch(key) ? key : throw new ArgumentException("An upload key is 1 to 64 letters, digits or '-'.", nameof(key));

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex UploadKey();
}
