using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

/// <summary>
/// Stores each blob at <c>{root}/sha256/{aa}/{bb}/{hash}</c>. Writes go to <c>{root}/incoming</c> first and are
/// renamed into place when the hashes are known, so a reader never sees a half-written blob. A blob is on disk before
/// <see cref="PutAsync"/> returns (the file flushed, then its directory after the rename): an upload is acknowledged
/// only once a crash can no longer take it back. New blobs are written with direct I/O where the file system allows
/// it (see <see cref="DirectWriteStream"/>).
/// </summary>
public sealed partial class FileSystemBlobStore(IOptions<BlobStoreOptions> options) : IBlobStore
{
    readonly BlobStoreOptions _options = options.Value;

    public async Task<StoredBlob> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        var incoming = Path.Combine(_options.Root, "incoming");
        Directory.CreateDirectory(incoming);
        var temporaryPath = Path.Combine(incoming, Guid.NewGuid().ToString("N"));

        try
        {
            StoredBlob blob;
            await using (var file = DirectWriteStream.TryCreate(temporaryPath) ?? BufferedFile(temporaryPath))
            {
                blob = await StreamDigests.ComputeAsync(content, file, _options.BufferSize, cancellationToken, withSha512: false);
                file.Flush();
            }

            MoveIntoPlace(temporaryPath, blob);
            return blob;
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }
    }

    /// <summary>Where direct I/O is not to be had: through the page cache, with writeback started as the bytes come and an fsync at the end.</summary>
    static Stream BufferedFile(string path) => new WritebackStartingStream(new FileStream(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Options = FileOptions.Asynchronous,
        BufferSize = 0,
    }));

    /// <summary>
    /// Takes a complete file that is already on this store's volume (a finished resumable upload): hashes it in
    /// place and renames it to its content address, without copying the bytes.
    /// </summary>
    public async Task<StoredBlob> AdoptAsync(string path, CancellationToken cancellationToken)
    {
        StoredBlob blob;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            blob = await StreamDigests.ComputeAsync(file, destination: null, _options.BufferSize, cancellationToken, withSha512: false);
        }

        MoveIntoPlace(path, blob);
        return blob;
    }

    void MoveIntoPlace(string path, StoredBlob blob)
    {
        var finalPath = PathOf(blob.Sha256);
        var directory = Path.GetDirectoryName(finalPath)!;
        var created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        if (File.Exists(finalPath))
        {
            // Same bytes are already stored: content addressing makes the second copy redundant.
            File.Delete(path);
        }
        else
        {
            File.Move(path, finalPath, overwrite: true);
            LinuxDisk.FlushDirectory(directory);
            if (created)
            {
                // The new {aa}/{bb} folders are entries in their parents, which need flushing too.
                LinuxDisk.FlushDirectory(Path.GetDirectoryName(directory)!);
                LinuxDisk.FlushDirectory(Path.GetDirectoryName(Path.GetDirectoryName(directory)!)!);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            return Task.FromResult<Stream?>(null);
        }

        return Task.FromResult<Stream?>(new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        }));
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(sha256)));

    public Task DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    string PathOf(string sha256)
    {
        if (!Sha256Hex().IsMatch(sha256))
        {
            throw new ArgumentException("A blob address is 64 lower-case hex digits.", nameof(sha256));
        }

        return Path.Combine(_options.Root, "sha256", sha256[..2], sha256[2..4], sha256);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
