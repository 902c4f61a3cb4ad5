using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ImageManager.ServiceDefaults.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Access;

/// <summary>
/// Callers with an API key: <c>Authorization: Bearer imk_…</c> or <c>X-Api-Key: imk_…</c>. Why a key is refused
/// (revoked, expired) is said only to someone who holds its secret; to anyone else every wrong key is the same.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyDirectory directory, IOptions<AccessOptions> access, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string BootstrapCallerId = "bootstrap-admin";
    public const string BootstrapTenant = "operator";

    /// <summary>The key the request presents, if it presents one.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var header) && header.ToString() is { Length: > 0 } key)
        {
            return key.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && ApiKeyFormat.LooksLikeKey(authorization[bearer.Length..].Trim())
            ? authorization[bearer.Length..].Trim()
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        if (IsBootstrapKey(presented))
        {
            return Success(BootstrapCallerId, BootstrapTenant, [CallerRoles.Admin]);
        }

        if (!ApiKeyFormat.TryParse(presented, out var id, out var secret))
        {
            return AuthenticateResult.Fail("The API key is malformed: a key reads 'imk_', a 12-character id, '_' and a 40-character secret, as it was shown when created.");
        }

        ApiKeyRecord? record;
        try
        {
            record = await directory.FindAsync(id, Context.RequestAborted);
        }
        catch (HttpRequestException exception)
        {
            return AuthenticateResult.Fail(new KeysUnavailableException(exception));
        }

        if (record is null || !ApiKeyFormat.Matches(secret, record.SecretSha256))
        {
            return AuthenticateResult.Fail("The API key is not valid: no key has this id and secret.");
        }

        if (record.RevokedAt is { } revokedAt)
        {
            return AuthenticateResult.Fail($"The API key {id} was revoked at {revokedAt.ToString("u", CultureInfo.InvariantCulture)}; ask an admin for a new one.");
        }

        if (record.ExpiresAt <= clock.GetUtcNow())
        {
            return AuthenticateResult.Fail($"The API key {id} expired at {record.ExpiresAt.ToString("u", CultureInfo.InvariantCulture)}; ask an admin for a new one.");
        }

        return Success($"key:{id}", record.Tenant, record.Roles);
    }

    bool IsBootstrapKey(string presented) =>
        access.Value.BootstrapAdminKey is { Length: > 0 } bootstrap &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(bootstrap)));

    AuthenticateResult Success(string id, string tenant, IEnumerable<string> roles) =>
        AuthenticateResult.Success(new AuthenticationTicket(CallerPrincipal.Create(id, tenant, roles, SchemeName), SchemeName));
}
