namespace ImageManager.Oci.Tests;

public sealed class Sha256DigestTests
{
    static readonly string Hex = new('a', 64);

    [Fact]
    public void When_a_document_s_digest_is_computed_it_is_named_as_a_registry_names_it() =>
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256Digest.Compute([]));

    [Fact]
    public void When_a_digest_is_well_formed_its_hex_part_is_read()
    {
        Assert.True(Sha256Digest.TryParse($"sha256:{Hex}", out var hex));
        Assert.Equal(Hex, hex);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha512:aaaa")]
    [InlineData("sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sha256:aaaa")]
    public void When_a_digest_is_parsed_only_sha256_and_64_lower_case_hex_digits_are_taken(string? digest) =>
        Assert.False(Sha256Digest.IsDigest(digest));
}
