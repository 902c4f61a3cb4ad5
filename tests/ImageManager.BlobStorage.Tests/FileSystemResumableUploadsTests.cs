namespace ImageManager.BlobStorage.Tests;

/// <summary>The resumable upload contract on the file system: a finished upload is renamed into place, not copied.</summary>
public sealed class FileSystemResumableUploadsTests : ResumableUploadsContract
{
    protected override Task<ITemporaryBlobStore> CreateAsync() => Task.FromResult<ITemporaryBlobStore>(new TemporaryBlobStore());
}
