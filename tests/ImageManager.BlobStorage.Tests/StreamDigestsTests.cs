using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

public sealed class StreamDigestsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(65_536)]
    [InlineData(1_000_003)]
    public async Task When_a_stream_is_digested_sha256_and_sha512_come_from_one_pass_or_only_sha256_when_told(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);

        var both = await StreamDigests.ComputeAsync(new MemoryStream(bytes), destination: null, 64 * 1024, CancellationToken.None);
        var only256 = await StreamDigests.ComputeAsync(new MemoryStream(bytes), destination: null, 64 * 1024, CancellationToken.None, withSha512: false);

        Assert.Equal(
            (Convert.ToHexStringLower(SHA256.HashData(bytes)), Convert.ToHexStringLower(SHA512.HashData(bytes)), (long)length),
            (both.Sha256, both.Sha512, both.Length));
        Assert.Equal((both.Sha256, (string?)null, both.Length), (only256.Sha256, only256.Sha512, only256.Length));
    }
}
