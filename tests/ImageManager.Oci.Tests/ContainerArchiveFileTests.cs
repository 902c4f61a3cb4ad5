namespace ImageManager.Oci.Tests;

public sealed class ContainerArchiveFileTests
{
    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00 }, ContainerFileCompression.Gzip)]
    [InlineData(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }, ContainerFileCompression.Zstandard)]
    [InlineData(new byte[] { 0x28, 0xb5 }, ContainerFileCompression.None)]
    [InlineData(new byte[] { (byte)'u', (byte)'s', (byte)'t', (byte)'a' }, ContainerFileCompression.None)]
    public void When_a_file_s_first_bytes_are_read_its_compression_is_told_from_them(byte[] head, ContainerFileCompression compression) =>
        Assert.Equal(compression, ContainerArchiveFile.CompressionOf(head));

    [Theory]
    [InlineData("{\"schemaVersion\":2}", true)]
    [InlineData(" \n[{", true)]
    [InlineData("   ", false)]
    [InlineData("ustar", false)]
    public void When_a_file_starts_as_a_json_object_or_array_it_is_taken_for_json(string head, bool json) =>
        Assert.Equal(json, ContainerArchiveFile.StartsLikeJson(System.Text.Encoding.UTF8.GetBytes(head)));
}
