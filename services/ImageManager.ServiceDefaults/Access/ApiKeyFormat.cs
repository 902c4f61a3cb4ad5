using System.Security.Cryptography;
using System.Text;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// An API key reads <c>imk_{id}_{secret}</c>: the id is public (lists, audit, revocation), the secret is 40 random
/// letters and digits (about 238 bits) and is kept only as its SHA-256. A secret that random needs no slow hash:
/// there is nothing to guess from the hash.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "imk_";
    const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const int IdLength = 12;
    const int SecretLength = 40;

    /// <summary>A new key: its id, the whole key (to be shown once) and the hash to keep.</summary>
    public static (string Id, string Key, string SecretSha256) Create()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, SecretLength);
        return (id, $"{Prefix}{id}_{secret}", HashSecret(secret));
    }

    /// <summary>Splits a presented key; <c>false</c> when it is not of this form at all.</summary>
    public static bool TryParse(string presented, out string id, out string secret)
    {
        id = secret = "";
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length != Prefix.Length + IdLength + 1 + SecretLength
            || presented[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        id = presented.Substring(Prefix.Length, IdLength);
        secret = presented[(Prefix.Length + IdLength + 1)..];
        return id.All(IdAlphabet.Contains) && secret.All(SecretAlphabet.Contains);
    }

    public static bool LooksLikeKey(string presented) => presented.StartsWith(Prefix, StringComparison.Ordinal);

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="secretSha256"/>, compared in constant time.</summary>
    public static bool Matches(string secret, string secretSha256) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashSecret(secret)), Encoding.ASCII.GetBytes(secretSha256));
}
