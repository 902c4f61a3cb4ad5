using System.Net;
using System.Text.Json.Nodes;
using ImageManager.BlobStorage;

namespace ImageManager.Api.Downstream;

/// <summary>The Api's calls to the Catalog service.</summary>
public sealed class CatalogClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<DownstreamAnswer<CatalogImageView>> GetImageAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/v1/images/{id}", cancellationToken);
        return await ReadAsync<CatalogImageView>(response, cancellationToken);
    }

    /// <summary>Deletes the record; the answer says whether another image still holds the same bytes.</summary>
    public async Task<(int StatusCode, DownstreamAnswer<JsonObject> Answer)> DeleteImageAsync(Guid id, bool purge, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"/api/v1/images/{id}{(purge ? "?purge=true" : "")}", cancellationToken);
        return ((int)response.StatusCode, await ReadAsync<JsonObject>(response, cancellationToken));
    }

    /// <summary>The PEM of a registered signing certificate, or <c>null</c> when there is none with that id.</summary>
    public async Task<string?> GetCertificatePemAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/v1/certificates/{id}", cancellationToken);
        var answer = await ReadAsync<JsonObject>(response, cancellationToken);
        return answer.Value?["pem"]?.GetValue<string>();
    }

    /// <summary>
    /// Records the measured checksums; the catalogue moves the image from queued to validating, once. The answer is
    /// the catalogue's whole image document, passed on to the uploader as is.
    /// </summary>
    public async Task<DownstreamAnswer<JsonObject>> RecordUploadAsync(Guid id, StoredBlob blob, string uploadedBy, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            $"/internal/v1/images/{id}/upload-completed",
            new { sha256 = blob.Sha256, sha512 = blob.Sha512, sizeBytes = blob.Length, uploadedBy },
            cancellationToken);
        return await ReadAsync<JsonObject>(response, cancellationToken);
    }

    internal static async Task<DownstreamAnswer<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        if (response.IsSuccessStatusCode)
        {
            return new DownstreamAnswer<T>(await response.Content.ReadFromJsonAsync<T>(cancellationToken), (int)response.StatusCode, null);
        }

        string? detail = null;
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            detail = problem?["detail"]?.GetValue<string>();
        }

        return new DownstreamAnswer<T>(null, (int)response.StatusCode, detail);
    }
}
