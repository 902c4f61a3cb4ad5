using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Images;

/// <summary><c>PATCH /images/{id}</c> as a JSON merge patch, conditional on the ETag, and the event every change publishes.</summary>
public sealed class ImagePatchTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_mutable_fields_are_patched_they_change_and_ImageUpdated_names_them()
    {
        await using var updates = await app.ListenAsync<ImageUpdated>();
        var image = await app.CreateImageAsync(Name(), new { tags = new[] { "old" }, properties = new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2", ["change"] = "3" } });
        var id = image["id"]!.GetValue<string>();

        using var response = await app.PatchAsync(id, """
            {"description": "patched", "tags": ["a", "b"], "properties": {"drop": null, "change": "4", "add": "5"},
             "protected": true, "visibility": "public", "endOfLife": "2027-12-31", "excludeFromLatest": true}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{id}"))!;
        Assert.Equal(("patched", true, "public", "2027-12-31", true),
            (read["description"]!.GetValue<string>(), read["protected"]!.GetValue<bool>(), read["visibility"]!.GetValue<string>(),
                read["endOfLife"]!.GetValue<string>(), read["excludeFromLatest"]!.GetValue<bool>()));
        Assert.Equal(["a", "b"], read["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(new Dictionary<string, string> { ["add"] = "5", ["change"] = "4", ["keep"] = "1" },
            read["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        var updated = await updates.WaitForAsync(u => u.ImageId == Guid.Parse(id), "ImageUpdated");
        Assert.Equal(["description", "tags", "properties", "protected", "visibility", "endOfLife", "excludeFromLatest"], updated.ChangedFields);
        Assert.Equal($"\"{updated.Revision}\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task When_the_etag_is_stale_the_patch_is_refused_with_412_and_nothing_changes()
    {
        var id = (await app.CreateImageAsync(Name()))["id"]!.GetValue<string>();
        using var first = await _http.GetAsync($"/api/v1/images/{id}");
        var etag = first.Headers.ETag!.Tag;
        using (var winner = await app.PatchAsync(id, """{"description": "first"}""", etag))
        {
            Assert.Equal(HttpStatusCode.OK, winner.StatusCode);
            Assert.NotEqual(etag, winner.Headers.ETag!.Tag);
        }

        using var loser = await app.PatchAsync(id, """{"description": "second"}""", etag);

        Assert.Equal(HttpStatusCode.PreconditionFailed, loser.StatusCode);
        Assert.Equal("first", (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{id}"))!["description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"name": "renamed"}""", "name", "cannot be changed")]
    [InlineData("""{"sha256": "00"}""", "sha256", "cannot be changed")]
    [InlineData("""{"colour": "blue"}""", "colour", "is not a field")]
    [InlineData("""{"protected": "yes"}""", "protected", "true or false")]
    [InlineData("""{"tags": "one"}""", "tags", "array")]
    [InlineData("""{"visibility": "secret"}""", "visibility", "one of")]
    [InlineData("""{"endOfLife": "soon"}""", "endOfLife", "a date")]
    [InlineData("""{"properties": {"k": 5}}""", "properties.k", "a string")]
    [InlineData("""{"properties": {"bad key": "v"}}""", "properties.bad key", "property key")]
    [InlineData("""[1, 2]""", "body", "JSON object")]
    [InlineData("""{"description": """, "body", "not valid JSON")]
    public async Task When_a_patch_is_bad_it_is_refused_with_400_naming_the_field(string patch, string field, string reason)
    {
        var id = (await app.CreateImageAsync(Name()))["id"]!.GetValue<string>();

        using var response = await app.PatchAsync(id, patch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Contains(reason, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_patched_property_value_is_too_large_it_is_refused_naming_it()
    {
        var id = (await app.CreateImageAsync(Name()))["id"]!.GetValue<string>();

        var patch = new JsonObject { ["properties"] = new JsonObject { ["big"] = new string('x', 256) } };

        using var response = await app.PatchAsync(id, patch.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("properties.big"));
    }

    [Fact]
    public async Task When_an_image_is_deactivated_and_reactivated_each_publishes_its_event()
    {
        await using var deactivations = await app.ListenAsync<ImageDeactivated>();
        await using var reactivations = await app.ListenAsync<ImageReactivated>();
        var id = (await app.CreateImageAsync(Name()))["id"]!.GetValue<string>();
        using (var refused = await _http.PostAsync($"/api/v1/images/{id}/deactivate", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode); // queued: not active yet
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ImageManager.Catalog.Persistence.CatalogDbContext>();
            await db.Images.Where(i => i.Id == Guid.Parse(id)).ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, "active"));
        }

        using var deactivated = await _http.PostAsync($"/api/v1/images/{id}/deactivate", null);
        Assert.Equal("deactivated", (await deactivated.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        await deactivations.WaitForAsync(e => e.ImageId == Guid.Parse(id), "ImageDeactivated");
        using var reactivated = await _http.PostAsync($"/api/v1/images/{id}/reactivate", null);
        Assert.Equal("active", (await reactivated.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        await reactivations.WaitForAsync(e => e.ImageId == Guid.Parse(id), "ImageReactivated");
    }

    static string Name() => $"patch-{Guid.NewGuid():N}";
}
