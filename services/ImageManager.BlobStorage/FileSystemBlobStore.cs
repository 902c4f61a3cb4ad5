using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

/// <summary>
/// Stores each blob at <c>{root}/sha256/{aa}/{bb}/{hash}</c>. Writes go to <c>{root}/incoming</c> first and are
/// renamed into place when the hashes are known, so a reader never sees a half-written blob.
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
            await using (var file = new FileStream(temporaryPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            }))
            {
                blob = await StreamDigests.ComputeAsync(content, file, _options.BufferSize, cancellationToken);
                await file.FlushAsync(cancellationToken);
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

    /// <summary>
    /// Takes a complete file that is already on this store's volume (a finished resumable upload): hashes it in
    /// place and renames it to its content address, without copying the bytes.
    /// </summary>
    public async Task<StoredBlob> AdoptAsync(string path, CancellationToken cancellationToken)
    {
        StoredBlob blob;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            blob = await StreamDigests.ComputeAsync(file, destination: null, _options.BufferSize, cancellationToken);
        }

        MoveIntoPlace(path, blob);
        return blob;
    }

    void MoveIntoPlace(string path, StoredBlob blob)
    {
        var finalPath = PathOf(blob.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        if (File.Exists(finalPath))
        {
            // Same bytes are already stored: content addressing makes the second copy redundant.
            File.Delete(path);
        }
        else
        {
            File.Move(path, finalPath, overwrite: true);
        }
    }

    public Stream? OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            return null;
        }

        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
    }

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    public void Delete(string sha256)
    {
        var path = PathOf(sha256);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
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
