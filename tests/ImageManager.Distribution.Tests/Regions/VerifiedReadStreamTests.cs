using System.Security.Cryptography;
using ImageManager.Distribution.Regions;

namespace ImageManager.Distribution.Tests.Regions;

/// <summary>Bytes read through a hub reach the VIM's last byte only when they are the image's, counted and hashed.</summary>
public sealed class VerifiedReadStreamTests
{
    static readonly byte[] Image = RandomNumberGenerator.GetBytes(300_000);
    static readonly string Sha256 = Convert.ToHexStringLower(SHA256.HashData(Image));

    [Fact]
    public async Task When_the_bytes_are_the_images_they_are_read_to_the_end_with_the_images_length()
    {
        await using var stream = Over(Image);
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.Equal(Image.Length, stream.Length);
        Assert.Equal(Image, copy.ToArray());
    }

    [Fact]
    public async Task When_a_byte_differs_the_read_fails_at_the_end_naming_the_source()
    {
        var altered = Image.ToArray();
        altered[123_456] ^= 0x01;
        await using var stream = Over(altered);

        var failure = await Assert.ThrowsAsync<IOException>(() => stream.CopyToAsync(Stream.Null));

        Assert.Contains("Hub 'hub-a' gave bytes whose SHA-256 is not the image's", failure.Message);
    }

    [Fact]
    public void When_the_body_is_cut_short_or_too_long_the_read_fails()
    {
        using var shorter = Over(Image[..^1]);
        using var longer = Over([.. Image, 0]);

        Assert.Contains($"ended after {Image.Length - 1} of the image's {Image.Length} bytes", Assert.Throws<IOException>(() => shorter.CopyTo(Stream.Null)).Message);
        Assert.Contains("more than the image's", Assert.Throws<IOException>(() => longer.CopyTo(Stream.Null)).Message);
    }

    static VerifiedReadStream Over(byte[] body) =>
        new(new HttpResponseMessage(), new MemoryStream(body), Image.Length, Sha256, "Hub 'hub-a'");
}
