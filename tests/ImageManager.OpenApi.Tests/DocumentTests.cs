using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageManager.Testing;

namespace ImageManager.OpenApi.Tests;

/// <summary>
/// The document the running Api serves: the same as <c>docs/openapi.json</c> (what the generated client is built from),
/// complete enough to generate a client from, and open, with its reference page, to anyone.
/// </summary>
[Collection(OpenApiCollection.Name)]
public sealed partial class DocumentTests(OpenApiSystem system)
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head"];
    static readonly string Snapshot = Path.Combine(RepositoryPaths.Root, "docs", "openapi.json");

    [Fact]
    public async Task When_the_Api_serves_its_document_it_is_the_one_in_docs_that_clients_are_generated_from()
    {
        var served = await system.ReadDocumentJsonAsync();
        // The server is wherever the document was read from; docs/ names the address `./imagemanager.sh up` gives.
        served["servers"] = new JsonArray(new JsonObject { ["url"] = "http://127.0.0.1:5080" });
        var kept = JsonNode.Parse(await File.ReadAllTextAsync(Snapshot))!;

        if (!JsonNode.DeepEquals(served, kept))
        {
            var file = Path.Combine(RepositoryPaths.TestOutput, "openapi-served.json");
            await File.WriteAllTextAsync(file, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            Assert.Fail($"The Api serves another document than docs/openapi.json (the generated client's source). If the change is meant: cp {file} docs/openapi.json");
        }
    }

    [Fact]
    public async Task When_the_document_is_read_every_operation_has_an_operation_id_and_every_body_a_schema()
    {
        var document = await system.ReadDocumentJsonAsync();

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => (Name: $"{o.Key.ToUpperInvariant()} {path.Key}", Operation: o.Value!)))
            .ToList();
        var missing = new List<string>();
        foreach (var (name, operation) in operations)
        {
            if (operation["operationId"] is null)
            {
                missing.Add($"{name}: no operationId (.WithName)");
            }

            foreach (var (type, media) in operation["requestBody"]?["content"]?.AsObject() ?? [])
            {
                if (media?["schema"] is null)
                {
                    missing.Add($"{name}: request body {type} has no schema (.Accepts<T>)");
                }
            }

            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                var content = response?["content"]?.AsObject();
                // What has no body: 204, a HEAD's answer, and an upload's chunk accepted (202 of the resumable PATCH is the image).
                var bodiless = status == "204" || name.StartsWith("HEAD ", StringComparison.Ordinal);
                if (!bodiless && (content is null || content.Count == 0))
                {
                    missing.Add($"{name}: answer {status} has no content (.Produces<T>)");
                }

                foreach (var (type, media) in content ?? [])
                {
                    if (media?["schema"] is null)
                    {
                        missing.Add($"{name}: answer {status} {type} has no schema (.Produces<T>)");
                    }

                    if (status[0] is '4' or '5' && type != "application/problem+json")
                    {
                        missing.Add($"{name}: answer {status} is {type}, not application/problem+json");
                    }
                }
            }
        }

        Assert.True(operations.Count >= 45, $"only {operations.Count} operations");
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task When_a_schema_is_a_request_body_it_refuses_other_members_and_one_only_answered_may_gain_members()
    {
        var schemas = (await system.ReadDocumentJsonAsync())["components"]!["schemas"]!;

        // Registration and its credentials are request bodies; the VIM resource and a distribution's status are answers.
        Assert.Equal(new bool?[] { false, false, null, null },
            new[] { "RegisterVimRequest", "VimCredentials", "VimResource", "DistributionResource" }
                .Select(name => schemas[name]!["additionalProperties"]?.GetValue<bool>()));
    }

    [Fact]
    public async Task When_the_document_and_the_reference_page_are_read_without_credentials_they_are_served_with_only_local_assets()
    {
        using var anonymous = system.ApiClient(null);

        using var document = await anonymous.GetAsync("/api/v1/openapi.json");
        using var page = await anonymous.GetAsync("/api/v1/reference/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, document.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Image Manager API", html, StringComparison.Ordinal);
        var references = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, url => Assert.False(Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Host != system.ApiAddress.Host, $"{url} is not on this Api"));
        foreach (var asset in references)
        {
            using var answer = await anonymous.GetAsync(new Uri(new Uri(system.ApiAddress, "/api/v1/reference/"), asset));
            Assert.True(answer.IsSuccessStatusCode, $"{asset}: {(int)answer.StatusCode}");
        }

        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    /// <summary>What the page loads: scripts, styles, images and icons (src and href).</summary>
    [GeneratedRegex(@"\b(?:src|href)=""(?<url>[^""]+)""")]
    private static partial Regex AssetReference();
}
