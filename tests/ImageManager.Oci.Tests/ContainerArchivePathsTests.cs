namespace ImageManager.Oci.Tests;

public sealed class ContainerArchivePathsTests
{
    static readonly string Hex = new('a', 64);

    [Fact]
    public void Should_read_a_blob_s_digest_only_from_a_path_under_blobs_sha256()
    {
        Assert.True(ContainerArchivePaths.TryParseBlob(ContainerArchivePaths.Blob(Hex), out var hex));
        Assert.Equal(Hex, hex);
        Assert.False(ContainerArchivePaths.TryParseBlob($"blobs/sha512/{Hex}", out _));
        Assert.False(ContainerArchivePaths.TryParseBlob($"{Hex}.json", out _));
    }
}
