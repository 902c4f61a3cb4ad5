using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage.Tests;

/// <summary>A file-system blob store in a fresh temporary folder, removed afterwards.</summary>
public sealed class TemporaryBlobStore : IDisposable
{
    /// <param name="bufferSize">The copy buffer.</param>
    /// <param name="parent">Where to make the folder; by default the system's temporary folder.</param>
    public TemporaryBlobStore(int bufferSize = 64 * 1024, string? parent = null)
    {
        Root = parent is null
            ? Directory.CreateTempSubdirectory("imagemanager-blobs-").FullName
            : Directory.CreateDirectory(Path.Combine(parent, $"imagemanager-blobs-{Guid.NewGuid():N}")).FullName;
        var options = Options.Create(new BlobStoreOptions { Root = Root, BufferSize = bufferSize });
        Store = new FileSystemBlobStore(options);
        Uploads = new FileSystemResumableUploads(options, Store);
    }

    public string Root { get; }
    public FileSystemBlobStore Store { get; }
    public FileSystemResumableUploads Uploads { get; }

    public IReadOnlyList<string> Files() => Directory.GetFiles(Root, "*", SearchOption.AllDirectories);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
