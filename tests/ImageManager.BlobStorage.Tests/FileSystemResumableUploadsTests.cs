using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

public sealed class FileSystemResumableUploadsTests : IDisposable
{
    readonly TemporaryBlobStore _blobs = new();

    IResumableUploads Uploads => _blobs.Uploads;

    public void Dispose() => _blobs.Dispose();

    [Fact]
    public async Task When_bytes_arrive_in_pieces_they_are_taken_and_the_upload_completes_into_their_content_address()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var first = await Uploads.AppendAsync("image-1", 0, bytes.Length, new MemoryStream(bytes[..100_000]), CancellationToken.None);
        var second = await Uploads.AppendAsync("image-1", 100_000, null, new MemoryStream(bytes[100_000..]), CancellationToken.None);
        var blob = await Uploads.CompleteAsync("image-1", CancellationToken.None);

        Assert.Equal(new PartialUpload(100_000, 300_000), first);
        Assert.True(second.IsComplete);
        Assert.Null(blob.Sha512); // left to Validation, off the ingest path
        Assert.True(_blobs.Store.Exists(blob.Sha256));
        Assert.Equal(new PartialUpload(0, null), Uploads.Status("image-1"));
        Assert.Single(_blobs.Files()); // moved into place, not copied
    }

    [Fact]
    public async Task When_the_connection_breaks_every_byte_that_arrived_is_kept_and_the_upload_continues_from_there()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        await Assert.ThrowsAsync<IOException>(() => Uploads.AppendAsync("image-2", 0, bytes.Length, new BreaksAfterStream(bytes, 123_457), CancellationToken.None));
        var kept = Uploads.Status("image-2");
        await Uploads.AppendAsync("image-2", kept.Offset, null, new MemoryStream(bytes[(int)kept.Offset..]), CancellationToken.None);
        var blob = await Uploads.CompleteAsync("image-2", CancellationToken.None);

        Assert.Equal(new PartialUpload(123_457, 200_000), kept);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
    }

    [Fact]
    public async Task When_the_offset_is_not_where_the_upload_stands_the_conflict_says_where_it_is()
    {
        await Uploads.AppendAsync("image-3", 0, 1000, new MemoryStream(new byte[400]), CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-3", 300, null, new MemoryStream(new byte[10]), CancellationToken.None));

        Assert.Contains("continue from 400", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(400, Uploads.Status("image-3").Offset);
    }

    [Fact]
    public async Task When_bytes_go_beyond_the_announced_length_or_the_length_changes_they_are_refused()
    {
        await Uploads.AppendAsync("image-4", 0, 100, new MemoryStream(new byte[60]), CancellationToken.None);

        var beyond = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-4", 60, null, new MemoryStream(new byte[41]), CancellationToken.None));
        var changed = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-4", 60, 200, new MemoryStream(new byte[1]), CancellationToken.None));

        Assert.Contains("beyond", beyond.Message, StringComparison.Ordinal);
        Assert.Contains("cannot change", changed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UploadConflictException>(() => Uploads.CompleteAsync("image-4", CancellationToken.None));
    }

    [Fact]
    public void When_an_upload_that_never_began_is_discarded_on_a_new_store_nothing_is_left()
    {
        Uploads.Discard("never-began");

        Assert.Equal(new PartialUpload(0, null), Uploads.Status("never-began"));
        Assert.Empty(_blobs.Files());
    }

    [Fact]
    public async Task When_one_writer_is_writing_a_second_is_kept_out()
    {
        var release = new TaskCompletionSource();
        var first = Uploads.AppendAsync("image-5", 0, 10, new SlowStream(release), CancellationToken.None);
        await Task.Delay(100); // the first writer holds the file

        var second = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-5", 0, 10, new MemoryStream(new byte[10]), CancellationToken.None));
        release.SetResult();

        Assert.Contains("in progress", second.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await first).Offset);
    }
}
