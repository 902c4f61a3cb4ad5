using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Catalog.Tests.Images;

/// <summary>
/// Kind + name + version are unique per owning tenant and among public images: a tenant neither learns another's private
/// image names from a refusal nor can squat them, a public name is one image for everyone, and <c>version=latest</c>
/// resolves within the caller's tenant.
/// </summary>
public sealed class ImageNameTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    [Fact]
    public async Task When_two_tenants_catalogue_the_same_name_and_version_privately_each_gets_its_own_image()
    {
        var name = Unique("same");
        using var a = app.ClientOf("tenant-a", "onboarder");
        using var b = app.ClientOf("tenant-b", "onboarder");

        using var first = await a.PostAsJsonAsync("/api/v1/images", Image(name));
        using var second = await b.PostAsJsonAsync("/api/v1/images", Image(name));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var seenByB = (await b.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}"))!["images"]!.AsArray();
        Assert.Equal(["tenant-b"], seenByB.Select(i => i!["owner"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_a_tenant_repeats_one_of_its_own_names_and_versions_it_is_refused_with_409_naming_its_tenant()
    {
        var name = Unique("twice");
        using var a = app.ClientOf("tenant-a", "onboarder");
        using (var first = await a.PostAsJsonAsync("/api/v1/images", Image(name)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var second = await a.PostAsJsonAsync("/api/v1/images", Image(name));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var detail = (await second.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        Assert.Contains("already exists in tenant 'tenant-a'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_another_tenant_holds_the_name_privately_publishing_it_is_allowed_and_reveals_nothing()
    {
        var name = Unique("hidden");
        using var a = app.ClientOf("tenant-a", "onboarder");
        using var b = app.ClientOf("tenant-b", "onboarder");
        (await a.PostAsJsonAsync("/api/v1/images", Image(name))).Dispose();

        using var published = await b.PostAsJsonAsync("/api/v1/images", Image(name, "public"));

        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
    }

    [Fact]
    public async Task When_a_name_and_version_is_public_another_tenant_cannot_publish_it_but_may_keep_a_private_one()
    {
        var name = Unique("public");
        using var vendor = app.ClientOf("vendor", "onboarder");
        using var other = app.ClientOf("tenant-c", "onboarder");
        (await vendor.PostAsJsonAsync("/api/v1/images", Image(name, "public"))).Dispose();

        using var publishedToo = await other.PostAsJsonAsync("/api/v1/images", Image(name, "public"));
        using var keptPrivate = await other.PostAsJsonAsync("/api/v1/images", Image(name));
        var privateId = (await keptPrivate.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{privateId}")
        {
            Content = new StringContent("""{"visibility": "public"}""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        using var madePublic = await other.SendAsync(patch);

        Assert.Equal(HttpStatusCode.Conflict, publishedToo.StatusCode);
        Assert.Contains("public", (await publishedToo.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, keptPrivate.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, madePublic.StatusCode);
        Assert.Equal("private", (await other.GetFromJsonAsync<JsonObject>($"/api/v1/images/{privateId}"))!["visibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_latest_is_asked_for_a_name_several_tenants_use_the_callers_own_comes_first_and_others_must_name_the_owner()
    {
        var name = Unique("latest");
        using var vendor = app.ClientOf("vendor", "onboarder");
        using var mine = app.ClientOf("tenant-d", "onboarder");
        using var operatorClient = app.ClientOf("ops", "operator");
        var vendorNewer = await CreateActiveAsync(vendor, name, "3.0.0", "public");
        var ownOlder = await CreateActiveAsync(mine, name, "1.0.0", "private");

        var forMe = (await mine.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}&version=latest"))!["images"]!.AsArray();
        using var forOperator = await operatorClient.GetAsync($"/api/v1/images?name={name}&version=latest");
        var forOperatorOfVendor = (await operatorClient.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}&version=latest&owner=vendor"))!["images"]!.AsArray();

        Assert.Equal([ownOlder], forMe.Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forOperator.StatusCode);
        var problem = (await forOperator.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]!["owner"]);
        Assert.Contains("'vendor'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([vendorNewer], forOperatorOfVendor.Select(i => i!["id"]!.GetValue<string>()));
    }

    async Task<string> CreateActiveAsync(HttpClient client, string name, string version, string visibility)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/images", Image(name, visibility, version));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await app.MakeActiveAsync(id);
        return id;
    }

    static object Image(string name, string visibility = "private", string version = "1.0") => new { name, version, kind = "software-package", visibility };

    static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
