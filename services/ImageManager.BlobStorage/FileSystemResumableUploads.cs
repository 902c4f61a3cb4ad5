using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

/// <summary>
/// Resumable uploads on the file system: bytes in <c>{root}/partial/{key}</c>, the announced length beside them in
/// <c>{key}.length</c>. The data file is opened exclusively while written, which keeps a second writer out (also
/// across processes on one node). Completion holds <c>{key}.lock</c> exclusively (the kernel lets go of it when the
/// process dies, so a crashed completion is taken over), writes the <see cref="CompletedUpload"/> mark
/// <c>{key}.completed</c>, moves the bytes to <c>{key}.completing</c>, hands them to the <see cref="FileSystemBlobStore"/>
/// and writes the blob's address into the mark, which stays until the upload is discarded.
/// </summary>
public sealed partial class FileSystemResumableUploads(IOptions<BlobStoreOptions> options, FileSystemBlobStore blobs, TimeProvider clock) : IResumableUploads
{
    readonly BlobStoreOptions _options = options.Value;

    public Task<PartialUpload> StatusAsync(string key, CancellationToken cancellationToken) => Task.FromResult(Status(key));

    /// <summary>
    /// Where the upload stands. A completion writes its mark before it moves the bytes away, so the mark is read again
    /// after the data file: a completion that began in between is seen by its mark, not as bytes gone. The data file's
    /// existence and size come from one look (a second one could find it moved and throw).
    /// </summary>
    PartialUpload Status(string key)
    {
        if (ReadMark(key) is { } completed)
        {
            return completed.Status;
        }

        var data = DataStatus(key);
        return ReadMark(key)?.Status ?? data;
    }

    PartialUpload DataStatus(string key)
    {
        var data = new FileInfo(DataPath(key));
        return new PartialUpload(data.Exists ? data.Length : 0, ReadLength(key));
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
            // Checked once the data file is held: a completion writes its mark before it moves the bytes away, so an
            // open that made a new, empty data file after the move finds the mark here.
            if (ReadMark(key) is { } completed)
            {
                if (file.Length == 0)
                {
                    File.Delete(DataPath(key));
                }

                return await completed.AppendAsync(offset, content, cancellationToken);
            }

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
        Directory.CreateDirectory(PartialRoot);
        FileStream claim;
        try
        {
            claim = new FileStream(LockPath(key), FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
        }
        catch (IOException)
        {
            throw new UploadConflictException("Another request is completing this upload; its answer says how it ended. Ask HEAD for where the upload stands.");
        }

        await using (claim)
        {
            var blob = await CompleteClaimedAsync(key, cancellationToken);
            File.Delete(LockPath(key)); // still held: whoever opens the path next makes a new lock, and finds the mark
            return blob;
        }
    }

    async Task<StoredBlob> CompleteClaimedAsync(string key, CancellationToken cancellationToken)
    {
        var mark = ReadMark(key);
        if (mark?.Blob is { } stored)
        {
            return stored;
        }

        var moved = ClaimedPath(key);
        if (mark is null)
        {
            var status = DataStatus(key);
            if (!status.IsComplete)
            {
                throw new UploadConflictException($"The upload has {status.Offset} of {status.Length?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} bytes; it is not complete.");
            }

            mark = new CompletedUpload(status.Offset, null);
            await WriteMarkAsync(key, mark, cancellationToken);
        }

        // A completion that died after the mark left the bytes where they were or where they were being moved; one
        // that died after the store took them left neither, and its blob's address is unknown.
        if (!File.Exists(moved))
        {
            if (!File.Exists(DataPath(key)))
            {
                await DiscardAsync(key, cancellationToken);
                throw new UploadConflictException("The upload's assembly was interrupted and its bytes are lost; upload the file again from offset 0.");
            }

            File.Move(DataPath(key), moved, overwrite: false);
        }

        StoredBlob blob;
        try
        {
            blob = await blobs.AdoptAsync(moved, cancellationToken);
        }
        catch (Exception) when (File.Exists(moved))
        {
            // Not adopted: the upload stays as it was, to complete again.
            File.Move(moved, DataPath(key), overwrite: true);
            File.Delete(MarkPath(key));
            throw;
        }

        await WriteMarkAsync(key, mark with { Blob = blob }, cancellationToken);
        File.Delete(LengthPath(key));
        return blob;
    }

    public Task DiscardAsync(string key, CancellationToken cancellationToken)
    {
        // Nothing to forget is fine: most images never had a resumable upload, and the folder may not exist yet.
        foreach (var path in new[] { DataPath(key), LengthPath(key), MarkPath(key), ClaimedPath(key) })
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

        // An upload is its files (the data, its .length, its .completed mark, and what a crash may leave: .length.new,
        // .completing, .lock), named by its key up to the first dot; it is as old as the newest of them.
        var before = (clock.GetUtcNow() - _options.ResumableUploadExpiry).UtcDateTime;
        var removed = 0;
        foreach (var upload in new DirectoryInfo(PartialRoot).GetFiles().GroupBy(file => file.Name.Split('.')[0]))
        {
            if (UploadKey().IsMatch(upload.Key) && upload.All(file => file.LastWriteTimeUtc < before))
            {
                foreach (var file in upload)
                {
                    file.Delete();
                }

                removed++;
            }
        }

        return Task.FromResult(removed);
    }

    string PartialRoot => Path.Combine(_options.Root, "partial");

    string DataPath(string key) => Path.Combine(PartialRoot, Checked(key));

    string LengthPath(string key) => Path.Combine(PartialRoot, Checked(key) + ".length");

    string ClaimedPath(string key) => Path.Combine(PartialRoot, Checked(key) + ".completing");

    string MarkPath(string key) => Path.Combine(PartialRoot, Checked(key) + ".completed");

    string LockPath(string key) => Path.Combine(PartialRoot, Checked(key) + ".lock");

    CompletedUpload? ReadMark(string key)
    {
        try
        {
            return CompletedUpload.Parse(File.ReadAllText(MarkPath(key)))
                ?? throw new UploadConflictException("The upload's completion mark could not be read; ask again (HEAD).");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Written aside and renamed over, as the length is: a reader finds the old mark or the new one.</summary>
    async Task WriteMarkAsync(string key, CompletedUpload mark, CancellationToken cancellationToken)
    {
        var written = MarkPath(key) + ".new";
        await File.WriteAllTextAsync(written, mark.Format(), cancellationToken);
        File.Move(written, MarkPath(key), overwrite: true);
    }

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
