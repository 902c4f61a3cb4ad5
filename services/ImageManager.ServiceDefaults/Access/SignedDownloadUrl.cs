using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// A download link a VIM can follow without credentials (Glance's web-download sends none): the image id and an expiry,
/// signed with a key derived from the service token, which only the Api and the Distribution hold. The link opens that
/// one image's bytes, until it expires, and nothing else.
/// </summary>
public static class SignedDownloadUrl
{
    public const string ExpiresParameter = "expires";
    public const string SignatureParameter = "signature";

    /// <summary>The query string (without <c>?</c>) that lets the link's holder download <paramref name="imageId"/> until <paramref name="expires"/>.</summary>
    public static string QueryFor(Guid imageId, DateTimeOffset expires, string serviceToken)
    {
        var unix = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{ExpiresParameter}={unix}&{SignatureParameter}={Sign(imageId, unix, serviceToken)}";
    }

    /// <summary>Whether the link's expiry and signature were made for <paramref name="imageId"/> and have not expired.</summary>
    public static bool IsValid(Guid imageId, string? expires, string? signature, string serviceToken, DateTimeOffset now) =>
        IsValid(imageId, expires, signature, [serviceToken], now);

    /// <summary>As above, signed with any of <paramref name="serviceTokens"/> (during a rotation, links signed with the old token or the new).</summary>
    public static bool IsValid(Guid imageId, string? expires, string? signature, IEnumerable<string> serviceTokens, DateTimeOffset now)
    {
        if (expires is null || signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || DateTimeOffset.FromUnixTimeSeconds(Math.Min(unix, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) <= now)
        {
            return false;
        }

        var presented = Encoding.ASCII.GetBytes(signature);
        return serviceTokens.Aggregate(false, (valid, token) => valid | CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(imageId, expires, token)), presented));
    }

    static string Sign(Guid imageId, string unixExpires, string serviceToken)
    {
        // A key of its own, derived from the token: a signature never doubles as the token or as another signature.
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"image-download-link\n{serviceToken}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{imageId:N}\n{unixExpires}")));
    }
}
