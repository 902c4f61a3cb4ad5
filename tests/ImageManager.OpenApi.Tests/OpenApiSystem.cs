using System.Text.Json.Nodes;
using ImageManager.OpenApi.Tests.Client;
using ImageManager.Testing;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace ImageManager.OpenApi.Tests;

/// <summary>
/// The whole system (<see cref="ServiceSystem"/>) on the shared local broker: its Api serves the OpenAPI document and the
/// reference page, and the client generated from the document (<see cref="GeneratedClient"/>) drives it.
/// </summary>
public sealed class OpenApiSystem() : ServiceSystem("openapi", new RabbitMqBroker())
{
    /// <summary>The document as the Api serves it to anyone: no credentials.</summary>
    public async Task<string> ReadDocumentAsync()
    {
        using var anonymous = ApiClient(null);
        using var answer = await anonymous.GetAsync("/api/v1/openapi.json");
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"GET /api/v1/openapi.json without credentials answered {(int)answer.StatusCode}: {text}");
        return text;
    }

    /// <summary>The document, parsed.</summary>
    public async Task<JsonObject> ReadDocumentJsonAsync() => JsonNode.Parse(await ReadDocumentAsync())!.AsObject();

    /// <summary>
    /// The client Kiota generated from <c>docs/openapi.json</c> at build time, on this system's Api as the bootstrap admin
    /// (the key travels in the Authorization header of <see cref="ServiceSystem.Api"/>).
    /// </summary>
    public ImageManagerClient GeneratedClient() =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: Api) { BaseUrl = ApiAddress.ToString().TrimEnd('/') });
}
