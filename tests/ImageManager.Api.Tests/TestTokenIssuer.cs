using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Api.Tests;

/// <summary>
/// A token issuer for tests: an RSA key pair of its own, and JWTs (RS256) written out by hand so that tests can also
/// make the wrong ones: expired, signed by another key, without a tenant, unsigned.
/// </summary>
public sealed class TestTokenIssuer(string issuer) : IDisposable
{
    readonly RSA _key = RSA.Create(2048);

    public string Issuer { get; } = issuer;
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>A token for <paramref name="subject"/>; <paramref name="changes"/> adds or replaces claims (null removes one).</summary>
    public string Token(string subject, string tenant, string[] roles, IReadOnlyDictionary<string, JsonNode?>? changes = null, RSA? signWith = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = "image-manager",
            ["sub"] = subject,
            ["tenant"] = tenant,
            ["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray()),
            ["iat"] = now,
            ["exp"] = now + 600,
        };
        foreach (var (name, value) in changes ?? new Dictionary<string, JsonNode?>())
        {
            if (value is null)
            {
                claims.Remove(name);
            }
            else
            {
                claims[name] = value.DeepClone();
            }
        }

        var signingInput = $"{Encode(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" })}.{Encode(claims)}";
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>A token that says it needs no signature (<c>alg: none</c>).</summary>
    public string UnsignedToken(string subject, string tenant, string[] roles)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject { ["iss"] = Issuer, ["aud"] = "image-manager", ["sub"] = subject, ["tenant"] = tenant, ["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray()), ["exp"] = now + 600 };
        return $"{Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" })}.{Encode(claims)}.";
    }

    public void Dispose() => _key.Dispose();

    static string Encode(JsonObject json) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(json));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
