using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageManager.Cli.Connection;

/// <summary>The Api at <c>/api/v1</c>, with the caller's credential; every refusal becomes a <see cref="CliException"/>.</summary>
public sealed class ApiClient : IDisposable
{
    public const string Prefix = "/api/v1";

    readonly HttpClient _http;

    public ApiClient(ApiConnection connection)
    {
        Connection = connection;
        var address = connection.BaseAddress.ToString().TrimEnd('/');
        if (address.EndsWith(Prefix, StringComparison.Ordinal))
        {
            address = address[..^Prefix.Length];
        }

        // Uploads and event streams last as long as they last; the commands that wait have their own --timeout.
        _http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("imagemanager-cli", typeof(ApiClient).Assembly.GetName().Version?.ToString(3)));
        if (connection.Credential is { } credential)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }
    }

    public ApiConnection Connection { get; }

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Route(path)), cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, Route(path)) { Content = Json(body ?? new JsonObject(), "application/json") }, cancellationToken);

    public Task<ApiAnswer> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, Route(path)) { Content = Json(body, "application/json") }, cancellationToken);

    /// <summary>A JSON merge patch (RFC 7396), as the Api's PATCH routes take.</summary>
    public Task<ApiAnswer> PatchAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Patch, Route(path)) { Content = Json(body, "application/merge-patch+json") }, cancellationToken);

    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, Route(path)), cancellationToken);

    /// <summary>Sends <paramref name="request"/> and reads the whole answer; a refusal throws with the Api's reason.</summary>
    public async Task<ApiAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await OpenAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ApiAnswer(response.StatusCode, response.Headers, body);
        }
    }

    /// <summary>Sends <paramref name="request"/> and answers once the headers are in (the body is streamed); a refusal throws.</summary>
    public async Task<HttpResponseMessage> OpenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CliException(ExitCodes.Unexpected, $"Cannot reach the Api at {_http.BaseAddress}: {exception.Message}", exception);
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && Connection.Credential is null)
        {
            // The Api's own words are about the Authorization header; a CLI user gives a key by the CLI's means.
            response.Dispose();
            throw new CliException(ExitCodes.NotAuthorized,
                $"No API key was given: pass --api-key, set {CredentialSource.KeyVariable}, or put \"apiKey\" in the config file " +
                $"({ConfigFile.DefaultPath} or ${CredentialSource.ConfigVariable}). (The Api answered 401.)");
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw ApiProblem.ToException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }
        }

        return response;
    }

    /// <summary>A route under <c>/api/v1</c>, relative to the base address.</summary>
    public static string Route(string path) => Prefix.TrimStart('/') + "/" + path.TrimStart('/');

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    static StringContent Json(JsonNode body, string mediaType) => new(body.ToJsonString(), Encoding.UTF8, mediaType);

    public void Dispose() => _http.Dispose();
}
