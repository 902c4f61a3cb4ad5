using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

public sealed class FileSystemBlobStoreTests : IDisposable
{
    readonly TemporaryBlobStore _blobs = new();

    public void Dispose() => _blobs.Dispose();

    [Fact]
    public async Task When_bytes_are_stored_they_go_under_their_sha256_computed_in_the_same_pass()
    {
        var bytes = RandomNumberGenerator.GetBytes(1_000_003); // not a multiple of the buffer

        var blob = await _blobs.Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
        Assert.Null(blob.Sha512); // left to Validation, off the ingest path
        Assert.Equal(bytes.Length, blob.Length);
        await using var stored = _blobs.Store.OpenRead(blob.Sha256)!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.EndsWith(Path.Combine("sha256", blob.Sha256[..2], blob.Sha256[2..4], blob.Sha256), _blobs.Files().Single(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Blobs are written with direct I/O on a disk file system (whole 4 KiB blocks, the tail padded and cut back) and
    /// through the page cache on tmpfs, which refuses direct I/O; both must store every length exactly.
    /// </summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(4096, false)]
    [InlineData(4097, false)]
    [InlineData(3 * 64 * 1024, false)]
    [InlineData(1_000_003, false)]
    [InlineData(4097, true)]
    [InlineData(1_000_003, true)]
    public async Task When_bytes_of_any_length_are_stored_they_are_kept_exactly_whether_or_not_the_file_system_takes_direct_io(int length, bool onTmpfs)
    {
        if (onTmpfs && !Directory.Exists("/dev/shm"))
        {
            return; // no tmpfs on this machine: the direct path is the only one there is
        }

        using var blobs = new TemporaryBlobStore(parent: onTmpfs ? "/dev/shm" : null);
        var bytes = RandomNumberGenerator.GetBytes(length);

        var blob = await blobs.Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)length), (blob.Sha256, blob.Length));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(blobs.Files().Single()));
    }

    [Fact]
    public async Task When_the_body_breaks_midstream_nothing_is_left_behind()
    {
        var bytes = RandomNumberGenerator.GetBytes(500_000);

        await Assert.ThrowsAsync<IOException>(() => _blobs.Store.PutAsync(new BreaksAfterStream(bytes, 200_000), CancellationToken.None));

        Assert.Empty(_blobs.Files());
    }

    [Fact]
    public async Task When_the_upload_is_cancelled_nothing_is_left_behind()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _blobs.Store.PutAsync(new MemoryStream(new byte[10_000]), cancelled.Token));

        Assert.Empty(_blobs.Files());
    }

    [Fact]
    public async Task When_the_same_bytes_arrive_twice_one_blob_is_kept()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);

        var first = await _blobs.Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);
        var second = await _blobs.Store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Single(_blobs.Files());
    }

    [Fact]
    public void When_an_address_is_unknown_nothing_is_returned_and_when_it_is_malformed_it_is_refused()
    {
        Assert.Null(_blobs.Store.OpenRead(new string('0', 64)));
        Assert.False(_blobs.Store.Exists(new string('0', 64)));
        Assert.Throws<ArgumentException>(() => _blobs.Store.OpenRead("../../etc/passwd"));
    }
}
