using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Access;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Asks the Catalog for an image as a given caller sees it, the way the Api does: with the service token and the caller's
/// identity, so that the Catalog's visibility rules (own, public, shared; operators everything) decide, in one place.
/// </summary>
public sealed class CatalogImages(HttpClient http, IOptions<InternalAccessOptions> access)
{
    public async Task<CatalogImageAnswer> GetAsync(Guid imageId, ForwardedCaller caller, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/images/{imageId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access.Value.ServiceToken);
        request.Headers.Add(ForwardedCaller.IdHeader, caller.Id);
        request.Headers.Add(ForwardedCaller.TenantHeader, caller.Tenant);
        request.Headers.Add(ForwardedCaller.RolesHeader, string.Join(',', caller.Roles));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new CatalogImageAnswer((int)response.StatusCode, await response.Content.ReadFromJsonAsync<CatalogImage>(cancellationToken), null);
        }

        var problem = response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return new CatalogImageAnswer((int)response.StatusCode, null, problem?["detail"]?.GetValue<string>());
    }
}
