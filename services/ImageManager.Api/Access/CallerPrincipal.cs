using System.Security.Claims;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Access;

/// <summary>The one shape of an authenticated caller, whatever the credential: id, tenant and roles (expanded).</summary>
public static class CallerPrincipal
{
    public const string IdClaim = "sub";
    public const string TenantClaim = "tenant";
    public const string RoleClaim = "role";

    public static ClaimsPrincipal Create(string id, string tenant, IEnumerable<string> roles, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, IdClaim, RoleClaim);
        identity.AddClaim(new Claim(IdClaim, id));
        identity.AddClaim(new Claim(TenantClaim, tenant));
        foreach (var role in CallerRoles.Expand(roles))
        {
            identity.AddClaim(new Claim(RoleClaim, role));
        }

        return new ClaimsPrincipal(identity);
    }

    public static string? IdOf(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.FindFirstValue(IdClaim) : null;

    public static string? TenantOf(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.FindFirstValue(TenantClaim) : null;

    public static IEnumerable<string> RolesOf(ClaimsPrincipal user) => user.FindAll(RoleClaim).Select(c => c.Value);
}
