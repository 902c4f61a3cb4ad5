using Microsoft.AspNetCore.Http;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// Who called the Api, as the Api tells the service behind it. Only believed on a request that carries the service token
/// (<see cref="ServiceTokenMiddleware"/>): the Api never passes on these headers from its own callers.
/// </summary>
public sealed record ForwardedCaller(string Id, string Tenant, IReadOnlySet<string> Roles)
{
    public const string IdHeader = "X-Caller-Id";
    public const string TenantHeader = "X-Caller-Tenant";
    public const string RolesHeader = "X-Caller-Roles";

    /// <summary>Sees and changes every tenant's images: the platform's operators.</summary>
    public bool SeesEveryTenant => Roles.Contains(CallerRoles.Operator);

    /// <summary>The caller named in the request's headers; <c>null</c> when the Api acted on its own (a bus message, a sweep).</summary>
    public static ForwardedCaller? From(HttpRequest request)
    {
        var id = request.Headers[IdHeader].ToString();
        var tenant = request.Headers[TenantHeader].ToString();
        if (id.Length == 0 || tenant.Length == 0)
        {
            return null;
        }

        var roles = request.Headers[RolesHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ForwardedCaller(id, tenant, roles.ToHashSet(StringComparer.Ordinal));
    }
}
