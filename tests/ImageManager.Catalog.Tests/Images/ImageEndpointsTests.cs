using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Catalog.Tests.Images;

public sealed class ImageEndpointsTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_an_image_is_created_it_is_queued_with_declared_checksums_in_lower_case()
    {
        var sha256 = new string('A', 64);
        using var response = await _http.PostAsJsonAsync("/api/v1/images", NewImage("created", sha256: sha256));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var image = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("queued", image["status"]!.GetValue<string>());
        Assert.Equal(sha256.ToLowerInvariant(), image["declaredSha256"]!.GetValue<string>());
        Assert.Equal("bare", image["containerFormat"]!.GetValue<string>());
        Assert.Equal($"/api/v1/images/{image["id"]}", response.Headers.Location!.ToString());
        var read = await _http.GetFromJsonAsync<JsonObject>(response.Headers.Location);
        Assert.Equal(image["id"]!.GetValue<string>(), read!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_second_image_has_the_same_kind_name_and_version_it_is_refused_with_409()
    {
        var image = NewImage("duplicate");
        using var first = await _http.PostAsJsonAsync("/api/v1/images", image);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await _http.PostAsJsonAsync("/api/v1/images", image);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already exists", (await second.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", """{"version":"1","kind":"vm-image","diskFormat":"raw"}""")]
    [InlineData("kind", """{"name":"x","version":"1","kind":"firmware"}""")]
    [InlineData("diskFormat", """{"name":"x","version":"1","kind":"vm-image","diskFormat":"floppy"}""")]
    [InlineData("containerFormat", """{"name":"x","version":"1","kind":"container-image"}""")]
    [InlineData("sha256", """{"name":"x","version":"1","kind":"software-package","sha256":"abc"}""")]
    [InlineData("sha512", """{"name":"x","version":"1","kind":"software-package","sha512":"zz"}""")]
    [InlineData("md5", """{"name":"x","version":"1","kind":"software-package","md5":"0123"}""")]
    [InlineData("name", """{"name":"tab\there","version":"1","kind":"software-package"}""")]
    public async Task When_an_image_is_invalid_it_is_refused_with_400_naming_the_field(string field, string body)
    {
        using var response = await _http.PostAsync("/api/v1/images", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Contains(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_upload_is_recorded_the_image_validates_and_a_second_record_is_refused()
    {
        var id = await Create("uploaded");
        var upload = new { sha256 = new string('1', 64), sha512 = new string('2', 128), sizeBytes = 42 };

        using var first = await _http.PostAsJsonAsync($"/internal/v1/images/{id}/upload-completed", upload);
        using var second = await _http.PostAsJsonAsync($"/internal/v1/images/{id}/upload-completed", upload);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var image = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("validating", 42L), (image["status"]!.GetValue<string>(), image["sizeBytes"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task When_racing_uploads_are_recorded_exactly_one_wins()
    {
        var id = await Create("race");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _http.PostAsJsonAsync(
            $"/internal/v1/images/{id}/upload-completed", new { sha256 = new string((char)('a' + i), 64), sha512 = new string('2', 128), sizeBytes = i })));

        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(7, attempts.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task When_an_unknown_image_is_asked_for_the_answer_is_404_and_lists_page_with_a_marker()
    {
        using var missing = await _http.GetAsync($"/api/v1/images/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var ids = new[] { await Create("page-1"), await Create("page-2"), await Create("page-3") };
        var all = new List<string>();
        string? marker = null;
        do
        {
            var page = (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images?limit=2{(marker is null ? "" : $"&marker={marker}")}"))!;
            all.AddRange(page["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            marker = page["next"]?.GetValue<string>();
        }
        while (marker is not null);

        Assert.Equal(all.Distinct().Count(), all.Count);
        Assert.Equal(ids.Select(i => i.ToString()), all.Where(id => ids.Select(x => x.ToString()).Contains(id)));
    }

    async Task<Guid> Create(string name)
    {
        using var response = await _http.PostAsJsonAsync("/api/v1/images", NewImage(name));
        response.EnsureSuccessStatusCode();
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
    }

    static object NewImage(string name, string? sha256 = null) =>
        new { name = $"{name}-{Guid.NewGuid():N}", version = "1.0", kind = "vm-image", diskFormat = "qcow2", vendor = "tests", sha256 };
}
