using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The regional hubs' registry through the Api: what a hub must say, and one hub per region.</summary>
[Collection(SystemCollection.Name)]
public sealed class HubRegistryTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_hub_lacks_a_usable_base_url_or_regions_it_is_refused_naming_the_field_and_nothing_is_written()
    {
        var id = $"hub-bad-{Guid.NewGuid():N}"[..20];
        var cases = new (object Body, string Field)[]
        {
            (new { regions = new[] { "r" } }, "baseUrl"),
            (new { baseUrl = "ftp://hub.example", regions = new[] { "r" } }, "baseUrl"),
            (new { baseUrl = "http://user:secret@hub.example", regions = new[] { "r" } }, "baseUrl"),
            (new { baseUrl = "http://hub.example" }, "regions"),
            (new { baseUrl = "http://hub.example", regions = Array.Empty<string>() }, "regions"),
            (new { baseUrl = "http://hub.example", regions = new[] { " " } }, "regions"),
        };
        foreach (var (body, field) in cases)
        {
            using var response = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{id}", body);
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith(field, problem!["detail"]!.GetValue<string>());
        }

        using var missing = await system.Api.GetAsync($"/api/v1/hubs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task When_a_second_hub_claims_a_served_region_it_is_refused_until_the_first_is_deleted()
    {
        var (first, second) = ($"hub-a-{Guid.NewGuid():N}"[..18], $"hub-b-{Guid.NewGuid():N}"[..18]);
        var region = system.Unique($"hubbed-{Guid.NewGuid():N}"[..14]);

        using (var created = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{first}", new { baseUrl = "http://127.0.0.1:1/", regions = new[] { region, region } }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var hub = await created.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal(("http://127.0.0.1:1", 1), (hub!["baseUrl"]!.GetValue<string>(), hub["regions"]!.AsArray().Count));
        }

        using (var refused = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{second}", new { baseUrl = "http://127.0.0.1:2", regions = new[] { "elsewhere", region } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"'{first}'", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        }

        using (var replaced = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{first}", new { baseUrl = "http://127.0.0.1:3", regions = new[] { region } }))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        var listed = (await system.GetJsonAsync("/api/v1/hubs"))["hubs"]!.AsArray().Single(h => h!["id"]!.GetValue<string>() == first)!;
        Assert.Equal("http://127.0.0.1:3", listed["baseUrl"]!.GetValue<string>());

        using (var deleted = await system.Api.DeleteAsync($"/api/v1/hubs/{first}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var taken = await system.Api.PutAsJsonAsync($"/api/v1/hubs/{second}", new { baseUrl = "http://127.0.0.1:2", regions = new[] { region } }))
        {
            Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        }

        using var gone = await system.Api.DeleteAsync($"/api/v1/hubs/{first}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var _ = await system.Api.DeleteAsync($"/api/v1/hubs/{second}");
    }
}
