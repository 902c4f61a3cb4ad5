using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageManager.Cli.Receipts;

/// <summary>
/// Checks a receipt offline against a saved copy of the published keys (<c>GET /api/v1/receipts/keys</c>): the ES256
/// signature by the key its <c>kid</c> names, the receipt type, and an issuer; no expiry (a receipt states a past fact).
/// </summary>
public static class ReceiptVerification
{
    const string ReceiptType = "image-manager-receipt+jwt";

    /// <summary>The receipt's claims when it verifies; otherwise why not.</summary>
    public static async Task<(JsonObject? Claims, string? Failure)> VerifyAsync(string receipt, string publishedKeys, string? issuer)
    {
        JsonWebKeySet keys;
        try
        {
            keys = new JsonWebKeySet(publishedKeys);
        }
        catch (ArgumentException unreadable)
        {
            return (null, $"the key file is not a JSON Web Key Set: {unreadable.Message}");
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(receipt.Trim(), new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidateIssuer = issuer is not null,
            ValidIssuer = issuer,
            ValidTypes = [ReceiptType],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        if (!result.IsValid)
        {
            return (null, result.Exception?.Message ?? "the receipt does not verify");
        }

        var token = (JsonWebToken)result.SecurityToken;
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(token.EncodedPayload))!.AsObject();
        claims["kid"] = token.Kid;
        return (claims, null);
    }
}
