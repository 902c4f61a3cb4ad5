namespace ImageManager.BlobStorage.Tests;

/// <summary>A blob store of one backend in a place of its own (a folder, a bucket), removed afterwards.</summary>
public interface ITemporaryBlobStore : IAsyncDisposable
{
    IBlobStore Store { get; }

    IResumableUploads Uploads { get; }

    /// <summary>The clock the store's sweep reads.</summary>
    ShiftedClock Clock { get; }

    /// <summary>Everything the store holds: files, or objects and open multipart uploads.</summary>
    Task<IReadOnlyList<string>> ContentsAsync();
}
