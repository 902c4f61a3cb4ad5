using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

/// <summary>The blob store contract on the file system, and what only the file system does (its layout, direct I/O).</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreContract
{
    TemporaryBlobStore Folder => (TemporaryBlobStore)Blobs;

    protected override Task<ITemporaryBlobStore> CreateAsync() => Task.FromResult<ITemporaryBlobStore>(new TemporaryBlobStore());

    [Fact]
    public async Task When_bytes_are_stored_they_go_to_a_file_named_by_their_sha256_two_folders_down()
    {
        var blob = await Folder.Store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(1000)), CancellationToken.None);

        Assert.EndsWith(Path.Combine("sha256", blob.Sha256[..2], blob.Sha256[2..4], blob.Sha256), Folder.Files().Single(), StringComparison.Ordinal);
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
}
