using System.Text.Json.Serialization;

namespace ImageManager.Contracts.Receipts;

/// <summary>One public key of <see cref="ReceiptKeySetResource"/>, as a JWK (EC P-256) with when it signed.</summary>
public sealed record ReceiptPublicKey
{
    [JsonPropertyName("kty")] public required string KeyType { get; init; }
    [JsonPropertyName("crv")] public required string Curve { get; init; }
    [JsonPropertyName("x")] public required string X { get; init; }
    [JsonPropertyName("y")] public required string Y { get; init; }

    /// <summary>The RFC 7638 thumbprint of the key, as the receipts' header names it.</summary>
    [JsonPropertyName("kid")] public required string KeyId { get; init; }
    [JsonPropertyName("use")] public string Use { get; init; } = "sig";
    [JsonPropertyName("alg")] public required string Algorithm { get; init; }

    /// <summary>When the key began signing receipts.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stopped (a newer key took over); null while it signs.</summary>
    public DateTimeOffset? RetiredAt { get; init; }
}
