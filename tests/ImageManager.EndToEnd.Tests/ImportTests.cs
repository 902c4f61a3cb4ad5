using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary><c>web-download</c> imports from a download site on loopback.</summary>
[Collection(SystemCollection.Name)]
public sealed class ImportTests(SystemFixture system)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_an_image_is_imported_through_a_redirect_it_becomes_active_with_the_sources_digests()
    {
        var image = TestImage.Random(2 * 1024 * 1024 + 5);
        var source = system.Downloads.Serve($"{Guid.NewGuid():N}.raw", image.Bytes);
        var imageId = await system.CreateImageAsync("imported", sha256: image.Sha256);

        using var response = await Import(imageId, system.Downloads.RedirectTo(source));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var active = await system.WaitForStatusAsync(imageId, "active");
        Assert.Equal(image.Sha512, active["sha512"]!.GetValue<string>());
        Assert.Equal(image.Bytes.Length, active["sizeBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task When_the_source_answers_404_the_image_stays_queued_with_the_reason()
    {
        var imageId = await system.CreateImageAsync("import-missing");

        using var response = await Import(imageId, new Uri(system.Downloads.Address, "no-such-file.qcow2"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var failed = await ImportError(imageId);
        Assert.Contains("404", failed, StringComparison.Ordinal);
        Assert.Equal("queued", (await system.GetJsonAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_redirect_leads_to_a_host_that_is_not_allowed_the_import_fails_naming_it()
    {
        var source = system.Downloads.Serve($"{Guid.NewGuid():N}.raw", [1, 2, 3]);
        var elsewhere = new UriBuilder(source) { Host = "localhost" }.Uri; // loopback too, but not an allowed host name
        var imageId = await system.CreateImageAsync("import-redirect-out");

        using var response = await Import(imageId, system.Downloads.RedirectTo(elsewhere));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("localhost", await ImportError(imageId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_source_is_larger_than_allowed_the_import_fails_and_stores_nothing()
    {
        var source = system.Downloads.Serve($"{Guid.NewGuid():N}.raw", new byte[SystemFixture.ImportLimit + 1]);
        var imageId = await system.CreateImageAsync("import-too-big");

        using var response = await Import(imageId, source);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("more than", await ImportError(imageId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_import_sources_host_is_not_allowed_it_is_refused_before_anything_is_fetched()
    {
        var imageId = await system.CreateImageAsync("import-refused");

        using var response = await Import(imageId, new Uri("http://localhost:1/image.qcow2"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("not an allowed import source", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_import_method_is_unknown_it_is_refused()
    {
        var imageId = await system.CreateImageAsync("import-method");

        using var response = await system.Api.PostAsJsonAsync($"/api/v1/images/{imageId}/import", new { method = "glance-direct", uri = "http://127.0.0.1/x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("web-download", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    Task<HttpResponseMessage> Import(Guid imageId, Uri uri) =>
        system.Api.PostAsJsonAsync($"/api/v1/images/{imageId}/import", new { method = "web-download", uri });

    async Task<string> ImportError(Guid imageId)
    {
        var image = await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}"),
            i => i["importError"] is not null, Patience, "the import error");
        return image["importError"]!.GetValue<string>();
    }
}
