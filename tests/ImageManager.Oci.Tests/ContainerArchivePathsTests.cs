namespace ImageManager.Oci.Tests;

public sealed class ContainerArchivePathsTests
{
    static readonly string Hex = new('a', 64);

    [Fact]
    public void When_a_path_is_under_blobs_sha256_a_blob_s_digest_is_read_from_it_and_from_no_other()
    {
        Assert.True(ContainerArchivePaths.TryParseBlob(ContainerArchivePaths.Blob(Hex), out var hex));
        Assert.Equal(Hex, hex);
        Assert.False(ContainerArchivePaths.TryParseBlob($"blobs/sha512/{Hex}", out _));
        Assert.False(ContainerArchivePaths.TryParseBlob($"{Hex}.json", out _));
    }
}
