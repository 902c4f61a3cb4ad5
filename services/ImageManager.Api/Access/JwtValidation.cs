using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageManager.Api.Access;

/// <summary>
/// Bearer JWTs from the configured issuers: each issuer's tokens must carry its audience, verify with one of its own keys
/// (a key of one issuer never vouches for another's tokens), and expire. The caller becomes <c>token:{sub}</c> with the
/// tenant and roles the issuer's claims name.
/// </summary>
public static class JwtValidation
{
    public const string Scheme = "Jwt";
    static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static void Configure(JwtBearerOptions jwt, AccessOptions access)
    {
        var issuers = access.Issuers.ToDictionary(i => i.Issuer, StringComparer.Ordinal);
        var keys = access.Issuers.ToDictionary(i => i.Issuer, i => i.SigningKeys.Select(KeyFromPem).ToArray(), StringComparer.Ordinal);
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = issuers.Keys,
            ValidAudiences = access.Issuers.Select(i => i.Audience).Distinct(StringComparer.Ordinal),
            IssuerSigningKeyResolver = (_, token, _, _) => keys.TryGetValue(token.Issuer, out var own) ? own : [],
            ValidAlgorithms = Algorithms,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var claims = context.Principal!;
                var issuer = issuers[context.SecurityToken.Issuer];
                var audiences = claims.FindAll("aud").Select(c => c.Value);
                var subject = claims.FindFirstValue("sub");
                var tenant = claims.FindFirstValue(issuer.TenantClaim);
                if (!audiences.Contains(issuer.Audience, StringComparer.Ordinal))
                {
                    context.Fail($"The token is not meant for Image Manager: its issuer's tokens must have audience '{issuer.Audience}'.");
                }
                else if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(tenant))
                {
                    context.Fail($"The token must name its subject ('sub') and tenant ('{issuer.TenantClaim}').");
                }
                else
                {
                    context.Principal = CallerPrincipal.Create($"token:{subject}", tenant, RolesIn(claims, issuer.RolesClaim), Scheme);
                }

                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                // An unknown issuer has no keys, so its tokens fail on the signature first; the issuer is the better reason.
                var untrusted = UnverifiedIssuerOf(context.Request) is { } named && !issuers.ContainsKey(named);
                context.Fail(untrusted ? ReasonFor(new SecurityTokenInvalidIssuerException()) : ReasonFor(context.Exception));
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>The <c>iss</c> a bearer token names, read without trusting it: only to choose the reason for a refusal.</summary>
    static string? UnverifiedIssuerOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        try
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? new JsonWebToken(authorization["Bearer ".Length..].Trim()).Issuer : null;
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }
    }

    static IEnumerable<string> RolesIn(ClaimsPrincipal claims, string claimType) =>
        claims.FindAll(claimType).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    static string ReasonFor(Exception exception) => exception switch
    {
        SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:u}.",
        SecurityTokenNotYetValidException => "The token is not valid yet (nbf is in the future).",
        SecurityTokenNoExpirationException => "The token has no expiry (exp); only tokens that expire are accepted.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not one this installation trusts.",
        SecurityTokenInvalidAudienceException => "The token is not meant for Image Manager (its audience is not one configured).",
        SecurityTokenInvalidAlgorithmException => "The token is signed with an algorithm not accepted (RS*, PS* and ES* are).",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The token's signature does not verify with any key configured for its issuer.",
        SecurityTokenMalformedException or ArgumentException or JsonException =>
            "The bearer credential is neither an API key (imk_…) nor a well-formed JWT.",
        _ => "The token was refused.",
    };

    /// <summary>Whether <paramref name="pem"/> is a public key the Api can verify with (checked at start).</summary>
    public static bool IsUsableKey(string pem)
    {
        try
        {
            _ = KeyFromPem(pem);
            return true;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A SubjectPublicKeyInfo PEM says its algorithm only inside: EC is tried first, then RSA.</summary>
    static SecurityKey KeyFromPem(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (CryptographicException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa);
    }
}
