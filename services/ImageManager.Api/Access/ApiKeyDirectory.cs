using System.Net;
using ImageManager.Api.Downstream;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Access;

/// <summary>
/// Finds keys in the Catalog (which keeps them) and remembers each answer, found or not, for
/// <see cref="AccessOptions.ApiKeyCacheSeconds"/>: a busy caller costs one lookup per period, not one per request.
/// </summary>
public sealed class ApiKeyDirectory(CatalogClient catalog, IMemoryCache cache, IOptions<AccessOptions> options)
{
    public async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKeyOf(id);
        if (cache.TryGetValue(cacheKey, out ApiKeyRecord? known))
        {
            return known;
        }

        using var response = await catalog.Http.GetAsync($"/internal/v1/api-keys/{Uri.EscapeDataString(id)}", cancellationToken);
        ApiKeyRecord? found = response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ApiKeyRecord>(cancellationToken);
        if (options.Value.ApiKeyCacheSeconds > 0)
        {
            cache.Set(cacheKey, found, TimeSpan.FromSeconds(options.Value.ApiKeyCacheSeconds));
        }

        return found;
    }

    /// <summary>After a revocation through this replica: the next request with the key looks it up again.</summary>
    public void Forget(string id) => cache.Remove(CacheKeyOf(id));

    static string CacheKeyOf(string id) => $"api-key:{id}";
}
