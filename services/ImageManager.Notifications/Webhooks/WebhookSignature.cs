using System.Security.Cryptography;
using System.Text;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// The signature of a delivery: <c>X-ImageManager-Signature: sha256=&lt;hex HMAC-SHA256 of the body, keyed with the
/// subscription's secret&gt;</c>. A subscriber computes the same over the bytes it received and compares in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-ImageManager-Signature";

    public static string Of(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
