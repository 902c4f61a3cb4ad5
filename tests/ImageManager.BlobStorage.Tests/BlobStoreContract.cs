using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

/// <summary>
/// What every blob store must do, run against the file system (<see cref="FileSystemBlobStoreTests"/>) and S3 on the
/// local Swift (<see cref="S3BlobStoreTests"/>). Sizes above <see cref="Large"/> take the S3 store's multipart path.
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    /// <summary>More than two of the S3 store's 5 MiB test parts, not a multiple of either store's buffer.</summary>
    protected const int Large = (2 * TemporaryS3BlobStore.PartSize) + 1_000_003;

    protected ITemporaryBlobStore Blobs { get; private set; } = null!;

    IBlobStore Store => Blobs.Store;

    protected abstract Task<ITemporaryBlobStore> CreateAsync();

    public async Task InitializeAsync() => Blobs = await CreateAsync();

    public async Task DisposeAsync() => await Blobs.DisposeAsync();

    [Theory]
    [InlineData(1_000_003)]
    [InlineData(Large)]
    public async Task When_bytes_are_stored_they_go_under_their_sha256_computed_in_the_same_pass(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);

        var blob = await Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
        Assert.Null(blob.Sha512); // left to Validation, off the ingest path
        Assert.Equal(bytes.Length, blob.Length);
        Assert.Equal(bytes, await ReadAllAsync(blob.Sha256));
        Assert.EndsWith(blob.Sha256, Assert.Single(await Blobs.ContentsAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4097)]
    [InlineData(TemporaryS3BlobStore.PartSize)]
    [InlineData(TemporaryS3BlobStore.PartSize + 1)]
    public async Task When_bytes_of_any_length_are_stored_they_are_kept_exactly(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);

        var blob = await Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)length), (blob.Sha256, blob.Length));
        Assert.Equal(bytes, await ReadAllAsync(blob.Sha256));
    }

    [Theory]
    [InlineData(500_000, 200_000)]
    [InlineData(Large, TemporaryS3BlobStore.PartSize + 123_457)]
    public async Task When_the_body_breaks_midstream_nothing_is_left_behind(int length, int breakAt)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(new BreaksAfterStream(bytes, breakAt), CancellationToken.None));

        Assert.Empty(await Blobs.ContentsAsync());
    }

    [Fact]
    public async Task When_the_upload_is_cancelled_nothing_is_left_behind()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync(new MemoryStream(new byte[10_000]), cancelled.Token));

        Assert.Empty(await Blobs.ContentsAsync());
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(Large)]
    public async Task When_the_same_bytes_arrive_twice_one_blob_is_kept(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);

        var first = await Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);
        var second = await Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Single(await Blobs.ContentsAsync());
    }

    [Fact]
    public async Task When_an_address_is_unknown_nothing_is_returned_and_when_it_is_malformed_it_is_refused()
    {
        Assert.Null(await Store.OpenReadAsync(new string('0', 64), CancellationToken.None));
        Assert.False(await Store.ExistsAsync(new string('0', 64), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync("../../etc/passwd", CancellationToken.None));
    }

    /// <summary>What an HTTP Range download and the format inspectors do: jump, read a little, jump back, read on to the end.</summary>
    [Fact]
    public async Task When_a_blob_is_read_at_offsets_each_read_returns_the_bytes_there()
    {
        var bytes = RandomNumberGenerator.GetBytes(Large);
        var blob = await Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        await using var content = (await Store.OpenReadAsync(blob.Sha256, CancellationToken.None))!;
        var header = new byte[512];
        content.Seek(Large - 700, SeekOrigin.Begin);
        await content.ReadExactlyAsync(header);
        var middle = new byte[3 * 1024 * 1024];
        content.Position = 1_000_000;
        content.ReadExactly(middle); // the inspectors read synchronously
        content.Position = 1_000_000 + middle.Length;
        using var rest = new MemoryStream();
        await content.CopyToAsync(rest);

        Assert.Equal((true, (long)Large), (content.CanSeek, content.Length));
        Assert.Equal(bytes[(Large - 700)..(Large - 700 + 512)], header);
        Assert.Equal(bytes[1_000_000..(1_000_000 + middle.Length)], middle);
        Assert.Equal(bytes[(1_000_000 + middle.Length)..], rest.ToArray());
    }

    [Fact]
    public async Task When_a_blob_is_deleted_it_is_gone_and_deleting_it_again_changes_nothing()
    {
        var blob = await Store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(10_000)), CancellationToken.None);

        await Store.DeleteAsync(blob.Sha256, CancellationToken.None);
        await Store.DeleteAsync(blob.Sha256, CancellationToken.None);

        Assert.False(await Store.ExistsAsync(blob.Sha256, CancellationToken.None));
        Assert.Empty(await Blobs.ContentsAsync());
    }

    protected async Task<byte[]> ReadAllAsync(string sha256)
    {
        await using var stored = (await Store.OpenReadAsync(sha256, CancellationToken.None))!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        return copy.ToArray();
    }
}
