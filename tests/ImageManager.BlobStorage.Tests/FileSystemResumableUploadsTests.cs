using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

/// <summary>The resumable upload contract on the file system: a finished upload is renamed into place, not copied.</summary>
public sealed class FileSystemResumableUploadsTests : ResumableUploadsContract
{
    protected override Task<ITemporaryBlobStore> CreateAsync() => Task.FromResult<ITemporaryBlobStore>(new TemporaryBlobStore());

    string Partial(string name) => Path.Combine(((TemporaryBlobStore)Blobs).Root, "partial", name);

    [Fact]
    public async Task When_a_completion_died_after_its_mark_the_next_completion_stores_the_bytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        await Blobs.Uploads.AppendAsync("died-early", 0, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        // What a completion killed just after marking the upload leaves: the mark without an address, and its lock file.
        await File.WriteAllTextAsync(Partial("died-early.completed"), bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(Partial("died-early.lock"), "");

        var refused = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Blobs.Uploads.AppendAsync("died-early", 0, bytes.Length, new MemoryStream(bytes), CancellationToken.None));
        var blob = await Blobs.Uploads.CompleteAsync("died-early", CancellationToken.None);

        Assert.Contains("complete", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
        Assert.True(await Blobs.Store.ExistsAsync(blob.Sha256, CancellationToken.None));
    }

    [Fact]
    public async Task When_a_completion_died_after_the_store_took_the_bytes_the_upload_begins_again_from_zero()
    {
        await Blobs.Uploads.AppendAsync("died-late", 0, 5_000, new MemoryStream(new byte[5_000]), CancellationToken.None);
        // Killed between the store's move and the address written into the mark: the bytes are gone from the upload.
        await File.WriteAllTextAsync(Partial("died-late.completed"), "5000");
        File.Delete(Partial("died-late"));

        var lost = await Assert.ThrowsAsync<UploadConflictException>(() => Blobs.Uploads.CompleteAsync("died-late", CancellationToken.None));
        var status = await Blobs.Uploads.StatusAsync("died-late", CancellationToken.None);

        Assert.Contains("upload the file again", lost.Message, StringComparison.Ordinal);
        Assert.Equal(new PartialUpload(0, null), status);
    }
}
