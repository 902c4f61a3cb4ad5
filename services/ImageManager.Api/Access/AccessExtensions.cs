using ImageManager.ServiceDefaults.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Access;

public static class AccessExtensions
{
    /// <summary>The policy scheme that picks how a request authenticates: API key or JWT.</summary>
    const string CallerScheme = "Caller";

    /// <summary>
    /// API keys and JWTs, one policy per role (endpoints say which they need), and no endpoint open unless it says so:
    /// the fallback policy wants an authenticated caller.
    /// </summary>
    public static IHostApplicationBuilder AddCallerAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccessOptions>()
            .Bind(builder.Configuration.GetSection(AccessOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.BootstrapAdminKey is null || (o.BootstrapAdminKey.StartsWith(ApiKeyFormat.Prefix, StringComparison.Ordinal) && o.BootstrapAdminKey.Length >= 36),
                "Authentication:BootstrapAdminKey must read 'imk_' followed by at least 32 characters.")
            .Validate(o => o.Issuers.All(i => !string.IsNullOrWhiteSpace(i.Issuer) && i.SigningKeys.Length > 0 && i.SigningKeys.All(JwtValidation.IsUsableKey)),
                "Each of Authentication:Issuers needs an Issuer and SigningKeys that are PEM public keys (RSA or EC).")
            .ValidateOnStart();

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ApiKeyDirectory>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessProblemResultHandler>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtValidation.Scheme)
            .Configure<IOptions<AccessOptions>>((jwt, access) => JwtValidation.Configure(jwt, access.Value));
        builder.Services.AddAuthentication(CallerScheme)
            .AddPolicyScheme(CallerScheme, "API key or bearer token", scheme => scheme.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.PresentedKey(context.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName : JwtValidation.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(JwtValidation.Scheme);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(CallerRoles.Viewer, p => p.RequireRole(CallerRoles.Viewer))
            .AddPolicy(CallerRoles.Onboarder, p => p.RequireRole(CallerRoles.Onboarder))
            .AddPolicy(CallerRoles.Distributor, p => p.RequireRole(CallerRoles.Distributor))
            .AddPolicy(CallerRoles.Operator, p => p.RequireRole(CallerRoles.Operator))
            .AddPolicy(CallerRoles.Admin, p => p.RequireRole(CallerRoles.Admin));
        return builder;
    }
}
