using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ImageManager.Api.Access;

/// <summary>
/// Refusals as problem+json that say why: 401 with what was wrong with the credential (or that there was none),
/// 403 with the role the endpoint needs, 503 when keys cannot be checked at all.
/// </summary>
public sealed class AccessProblemResultHandler : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // The authentication middleware keeps only successes; the handler remembers its failure for this request.
            var failure = (await context.AuthenticateAsync()).Failure;
            if (failure is KeysUnavailableException)
            {
                context.Response.Headers.RetryAfter = "5";
                await Results.Problem(title: "Service unavailable", detail: failure.Message, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
                return;
            }

            await context.ChallengeAsync();
            if (!context.Response.Headers.ContainsKey("WWW-Authenticate"))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await Results.Problem(
                title: "Authentication required",
                detail: failure?.Message ?? "No credentials: send an API key (Authorization: Bearer imk_… or X-Api-Key) or a bearer token from a trusted issuer.",
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToArray();
            var held = CallerPrincipal.RolesOf(context.User).ToArray();
            await Results.Problem(
                title: "Forbidden",
                detail: $"This needs the role {string.Join(" or ", needed.Select(r => $"'{r}'"))}; the caller ({CallerPrincipal.IdOf(context.User)}) has " +
                        (held.Length == 0 ? "no role." : $"{string.Join(", ", held)}."),
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
