using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// A download link a VIM can follow without credentials (Glance's web-download sends none): the image id and an expiry,
/// signed with a key derived from the service token, which only the Api and the Distribution hold. The link opens that
/// one image's bytes, until it expires, and nothing else. A link made for one target's upload also names that target
/// (<see cref="DownloadTransfer"/>, signed with the rest), so that the Api can report the bytes it served to it.
/// </summary>
public static class SignedDownloadUrl
{
    public const string ExpiresParameter = "expires";
    public const string SignatureParameter = "signature";
    public const string TransferParameter = "transfer";

    /// <summary>
    /// The query string (without <c>?</c>) that lets the link's holder download <paramref name="imageId"/> until
    /// <paramref name="expires"/>; with <paramref name="transfer"/>, for that target's upload.
    /// </summary>
    public static string QueryFor(Guid imageId, DateTimeOffset expires, string serviceToken, DownloadTransfer? transfer = null)
    {
        var unix = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var named = transfer?.ToString();
        var query = $"{ExpiresParameter}={unix}&{SignatureParameter}={Sign(imageId, unix, named, serviceToken)}";
        return named is null ? query : $"{query}&{TransferParameter}={Uri.EscapeDataString(named)}";
    }

    /// <summary>Whether the link's expiry and signature (and transfer, if it names one) were made for <paramref name="imageId"/> and have not expired.</summary>
    public static bool IsValid(Guid imageId, string? expires, string? signature, string serviceToken, DateTimeOffset now, string? transfer = null) =>
        IsValid(imageId, expires, signature, [serviceToken], now, transfer);

    /// <summary>As above, signed with any of <paramref name="serviceTokens"/> (during a rotation, links signed with the old token or the new).</summary>
    public static bool IsValid(Guid imageId, string? expires, string? signature, IEnumerable<string> serviceTokens, DateTimeOffset now, string? transfer = null)
    {
        if (expires is null || signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || DateTimeOffset.FromUnixTimeSeconds(Math.Min(unix, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) <= now)
        {
            return false;
        }

        var presented = Encoding.ASCII.GetBytes(signature);
        return serviceTokens.Aggregate(false, (valid, token) => valid | CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(imageId, expires, transfer, token)), presented));
    }

    static string Sign(Guid imageId, string unixExpires, string? transfer, string serviceToken)
    {
        // A key of its own, derived from the token: a signature never doubles as the token or as another signature. A link
        // without a transfer signs what links signed before transfers existed, so those still open.
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"image-download-link\n{serviceToken}"));
        var signed = transfer is null ? $"{imageId:N}\n{unixExpires}" : $"{imageId:N}\n{unixExpires}\n{transfer}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
    }
}
