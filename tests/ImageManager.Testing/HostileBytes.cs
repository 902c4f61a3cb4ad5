using System.Text;
using Xunit;

namespace ImageManager.Testing;

/// <summary>
/// What a broken or hostile peer (a VIM, a webhook subscriber) may answer: NUL bytes, invalid UTF-8, C1 and escape
/// codes, line breaks, secrets in URLs and headers, then random bytes; and the check that such text reached a person
/// only made safe.
/// </summary>
public static class HostileBytes
{
    public const string Password = "s3cr3t-pw";
    public const string Signature = "deadbeefcafe0123";
    public const string Token = "gAAAAAtoken-value";
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes; the same every time.</summary>
    public static byte[] Body()
    {
        var body = new List<byte>();
        body.AddRange("refused:\0\0\0 "u8.ToArray());
        body.AddRange([0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, (byte)' ']);         // invalid UTF-8
        body.AddRange([0xC2, 0x9B, (byte)'2', (byte)'J', 0xC2, 0x85]);          // C1: CSI, NEL
        body.AddRange("\u001b[31mred\u001b[0m\r\nsecond line\t"u8.ToArray());
        body.AddRange(Encoding.UTF8.GetBytes(
            $" see http://admin:{Password}@vim.example/v2/images/x/file?expires=1&signature={Signature} X-Auth-Token: {Token} "));
        var noise = new byte[3000];
        new Random(7).NextBytes(noise);
        body.AddRange(noise);
        body.Add(0);
        return [.. body];
    }

    /// <summary>A JSON error document as Glance writes it, with a message holding NUL and escape codes (escaped, as JSON must).</summary>
    public static byte[] JsonBody() => Encoding.UTF8.GetBytes(
        $$"""{"code":400,"title":"Bad Request","message":"bad\u0000image\u001b[2J\u0085 http://admin:{{Password}}@vim.example/?signature={{Signature}}"}""");

    /// <summary>Printable text (no control character, valid UTF-16), with none of the secrets.</summary>
    public static void AssertReadable(string text)
    {
        Assert.DoesNotContain(text, char.IsControl);
        _ = StrictUtf8.GetByteCount(text); // throws on a lone surrogate, as PostgreSQL's client encoding would
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }
}
