using System.Net.Http.Headers;
using ImageManager.Api.Access;
using ImageManager.ServiceDefaults.Access;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Downstream;

/// <summary>
/// Every call to a service behind the Api carries the service token, and, when it is made for a request, who made that
/// request: the services trust these headers because only the Api has the token.
/// </summary>
public sealed class ServiceTokenHandler(IOptions<InternalAccessOptions> options, IHttpContextAccessor http) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ServiceToken);
        if (http.HttpContext?.User is { } user && CallerPrincipal.IdOf(user) is { } id)
        {
            request.Headers.Add(ForwardedCaller.IdHeader, id);
            request.Headers.Add(ForwardedCaller.TenantHeader, CallerPrincipal.TenantOf(user));
            request.Headers.Add(ForwardedCaller.RolesHeader, string.Join(',', CallerPrincipal.RolesOf(user)));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
