using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage.Tests;

/// <summary>A file-system blob store in a fresh temporary folder, removed afterwards.</summary>
public sealed class TemporaryBlobStore : ITemporaryBlobStore, IDisposable
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
        Uploads = new FileSystemResumableUploads(options, Store, Clock);
    }

    public string Root { get; }
    public ShiftedClock Clock { get; } = new();
    public FileSystemBlobStore Store { get; }
    public FileSystemResumableUploads Uploads { get; }

    IBlobStore ITemporaryBlobStore.Store => Store;
    IResumableUploads ITemporaryBlobStore.Uploads => Uploads;

    public IReadOnlyList<string> Files() => Directory.GetFiles(Root, "*", SearchOption.AllDirectories);

    public Task<IReadOnlyList<string>> ContentsAsync() => Task.FromResult(Files());

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
