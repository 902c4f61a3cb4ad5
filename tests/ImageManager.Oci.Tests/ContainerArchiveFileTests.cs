namespace ImageManager.Oci.Tests;

public sealed class ContainerArchiveFileTests
{
    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00 }, ContainerFileCompression.Gzip)]
    [InlineData(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }, ContainerFileCompression.Zstandard)]
    [InlineData(new byte[] { 0x28, 0xb5 }, ContainerFileCompression.None)]
    [InlineData(new byte[] { (byte)'u', (byte)'s', (byte)'t', (byte)'a' }, ContainerFileCompression.None)]
    public void Should_tell_a_file_s_compression_from_its_first_bytes(byte[] head, ContainerFileCompression compression) =>
        Assert.Equal(compression, ContainerArchiveFile.CompressionOf(head));

    [Theory]
    [InlineData("{\"schemaVersion\":2}", true)]
    [InlineData(" \n[{", true)]
    [InlineData("   ", false)]
    [InlineData("ustar", false)]
    public void Should_take_for_json_what_starts_as_an_object_or_an_array(string head, bool json) =>
        Assert.Equal(json, ContainerArchiveFile.StartsLikeJson(System.Text.Encoding.UTF8.GetBytes(head)));
}
