using System.Security.Cryptography;

namespace ImageManager.Testing;

/// <summary>Random bytes standing in for an image, with their digests.</summary>
public sealed record TestImage(byte[] Bytes, string Sha256, string Sha512)
{
    public static TestImage Random(int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        return new TestImage(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), Convert.ToHexStringLower(SHA512.HashData(bytes)));
    }

    public ByteArrayContent Content()
    {
        var content = new ByteArrayContent(Bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
