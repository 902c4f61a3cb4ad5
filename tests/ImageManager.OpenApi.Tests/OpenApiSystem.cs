using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.OpenApi.Tests;

/// <summary>
/// The whole system (<see cref="ServiceSystem"/>) on the shared local broker, with the first local Glance registered as a VIM:
/// the OpenAPI document is read from its Api, and the generated client drives it.
/// </summary>
public sealed class OpenApiSystem() : ServiceSystem("openapi", new RabbitMqBroker())
{
    /// <summary>The id of the Glance VIM registered for this run.</summary>
    public string Glance { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Glance = await RegisterGlanceAsync("glance1", Infrastructure.Glance1);
    }

    /// <summary>The document as the Api serves it.</summary>
    public async Task<string> ReadDocumentAsync()
    {
        using var answer = await Api.GetAsync("/api/v1/openapi.json");
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"GET /api/v1/openapi.json answered {(int)answer.StatusCode}: {text}");
        return text;
    }

    /// <summary>The document, parsed.</summary>
    public async Task<JsonObject> ReadDocumentJsonAsync() => JsonNode.Parse(await ReadDocumentAsync())!.AsObject();
}
