using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The OpenAPI document the Api serves: every operation summarised and exemplified, and the examples true to the real answers.</summary>
[Collection(SystemCollection.Name)]
public sealed class OpenApiTests(SystemFixture system)
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head"];

    [Fact]
    public async Task When_the_openapi_document_is_read_every_operation_has_a_summary_and_an_example()
    {
        var document = (await system.Api.GetFromJsonAsync<JsonObject>("/api/v1/openapi.json"))!;

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => (Name: $"{o.Key.ToUpperInvariant()} {path.Key}", Operation: o.Value!)))
            .ToList();

        Assert.True(operations.Count >= 22, $"only {operations.Count} operations");
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), $"{o.Name} has no summary"));
        Assert.All(operations, o => Assert.True(HasExample(o.Operation), $"{o.Name} has no example"));
        var list = operations.Single(o => o.Name == "GET /api/v1/images").Operation;
        Assert.Superset(
            new HashSet<string> { "kind", "name", "namePrefix", "version", "vendor", "status", "tag", "property", "onVim", "createdAfter", "sort", "limit", "marker" },
            list["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet());
    }

    [Fact]
    public async Task When_the_openapi_document_is_read_it_declares_how_callers_authenticate_and_the_role_each_operation_needs()
    {
        var document = (await system.Api.GetFromJsonAsync<JsonObject>("/api/v1/openapi.json"))!;

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", schemes["apiKeyHeader"]!["name"]!.GetValue<string>());
        Assert.Equal("header", schemes["apiKeyHeader"]!["in"]!.GetValue<string>());
        var required = document["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(p => p.Key)).ToHashSet();
        Assert.Equal(new HashSet<string> { "bearer", "apiKeyHeader" }, required);
        Assert.Contains("Needs the role 'operator'", document["paths"]!["/api/v1/images/{id}"]!["delete"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Needs the role 'viewer'", document["paths"]!["/api/v1/images"]!["get"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Needs the role 'admin'", document["paths"]!["/api/v1/api-keys"]!["post"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_openapi_document_shows_an_image_example_its_fields_are_those_a_real_image_has()
    {
        var document = (await system.Api.GetFromJsonAsync<JsonObject>("/api/v1/openapi.json"))!;
        var example = document["paths"]!["/api/v1/images/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!.AsObject();
        using var created = await system.Api.PostAsJsonAsync("/api/v1/images", new
        {
            name = $"openapi-shape-{Guid.NewGuid():N}",
            version = "1.0",
            kind = "vm-image",
            diskFormat = "qcow2",
            vendor = "acme",
            description = "d",
            owner = "ops",
            tags = new[] { "t" },
            properties = new { k = "v" },
            osDistro = "debian",
            osVersion = "12",
            architecture = "x86_64",
            minRamMb = 1,
            minDiskGb = 1,
            endOfLife = "2030-01-01",
        });
        var imageId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var real = await system.GetJsonAsync($"/api/v1/images/{imageId}");

        // A new image leaves out what only its bytes and their verdict bring (null fields are not written).
        string[] filledLater = ["uploadedBy", "sizeBytes", "virtualSizeBytes", "sha256", "sha512", "detectedType", "validatedAt", "rejectionReason", "packageId", "pathInPackage",
            "malwareScan", "signedBy", "trust"];
        Assert.Subset(example.Select(p => p.Key).ToHashSet(), real.Select(p => p.Key).ToHashSet());
        Assert.Subset(filledLater.ToHashSet(), example.Select(p => p.Key).Except(real.Select(p => p.Key)).ToHashSet());
    }

    static bool HasExample(JsonNode operation) =>
        operation["requestBody"]?["content"]?.AsObject().Any(c => c.Value?["example"] is not null) == true
        || operation["responses"]?.AsObject().Any(r => r.Value?["content"]?.AsObject().Any(c => c.Value?["example"] is not null) == true) == true;
}
