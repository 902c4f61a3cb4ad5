using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Two tenants on one system: a private image is invisible to the other tenant (not listed, 404 to every read and
/// change), a public or shared one is visible but only its owner's tenant changes it; operators see everything.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TenantIsolationTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_tenant_asks_for_another_tenants_private_image_it_is_neither_shown_nor_touched()
    {
        using var ownerA = await system.ClientForAsync("tenant-a", "onboarder");
        using var onboarderB = await system.ClientForAsync("tenant-b", "onboarder");
        using var distributorB = await system.ClientForAsync("tenant-b", "distributor");
        var name = system.Unique("private-of-a");
        var privateImage = await CreateAsync(ownerA, name, new { });

        using var shown = await onboarderB.GetAsync($"/api/v1/images/{privateImage}");
        var listed = await onboarderB.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}");
        using var locations = await onboarderB.GetAsync($"/api/v1/images/{privateImage}/locations");
        using var patched = await onboarderB.SendAsync(MergePatch(privateImage, """{"description":"taken over"}"""));
        using var uploaded = await onboarderB.PutAsync($"/api/v1/images/{privateImage}/file", new ByteArrayContent(new byte[1024]));
        using var distributed = await distributorB.PostAsJsonAsync("/api/v1/distributions", new { imageId = privateImage, vimIds = new[] { system.VimIdOf("none") } });
        using var byTheOwner = await ownerA.GetAsync($"/api/v1/images/{privateImage}");
        using var byAnOperator = await system.Api.GetAsync($"/api/v1/images/{privateImage}");

        Assert.Equal(HttpStatusCode.NotFound, shown.StatusCode);
        Assert.Empty(listed!["images"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, locations.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patched.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, uploaded.StatusCode);
        Assert.True(distributed.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.BadRequest,
            $"distributing another tenant's private image answered {(int)distributed.StatusCode}");
        Assert.DoesNotContain("distributionId", await distributed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, byTheOwner.StatusCode);
        Assert.Equal("tenant-a", (await byTheOwner.Content.ReadFromJsonAsync<JsonObject>())!["owner"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, byAnOperator.StatusCode);

        // Nothing changed behind the refusals.
        var image = (await byAnOperator.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("queued", null), (image["status"]!.GetValue<string>(), image["description"]?.GetValue<string>()));
    }

    [Fact]
    public async Task When_an_image_is_public_or_shared_those_tenants_see_it_but_only_the_owner_changes_it()
    {
        using var ownerA = await system.ClientForAsync("tenant-a", "onboarder");
        using var viewerB = await system.ClientForAsync("tenant-b", "viewer");
        using var onboarderB = await system.ClientForAsync("tenant-b", "onboarder");
        using var viewerC = await system.ClientForAsync("tenant-c", "viewer");
        var prefix = system.Unique("visible-of-a");
        var publicImage = await CreateAsync(ownerA, $"{prefix}-public", new { visibility = "public" });
        var sharedImage = await CreateAsync(ownerA, $"{prefix}-shared", new { visibility = "shared", sharedWith = new[] { "tenant-b" } });

        var seenByB = await viewerB.GetFromJsonAsync<JsonObject>($"/api/v1/images?namePrefix={prefix}");
        var seenByC = await viewerC.GetFromJsonAsync<JsonObject>($"/api/v1/images?namePrefix={prefix}");
        using var changedByB = await onboarderB.SendAsync(MergePatch(publicImage, """{"description":"not mine"}"""));
        using var uploadedByB = await onboarderB.PutAsync($"/api/v1/images/{sharedImage}/file", new ByteArrayContent(new byte[1024]));
        using var unsharedByA = await ownerA.SendAsync(MergePatch(sharedImage, """{"sharedWith":null}"""));
        using var afterUnsharing = await viewerB.GetAsync($"/api/v1/images/{sharedImage}");

        Assert.Equal([publicImage, sharedImage], Ids(seenByB!).Order());
        Assert.Equal([publicImage], Ids(seenByC!));
        Assert.Equal(HttpStatusCode.Forbidden, changedByB.StatusCode);
        Assert.Contains("belongs to tenant 'tenant-a'", await changedByB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, uploadedByB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unsharedByA.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterUnsharing.StatusCode);
    }

    [Fact]
    public async Task When_a_tenant_creates_an_image_for_another_tenant_it_is_refused_saying_whose_it_would_be()
    {
        using var onboarderB = await system.ClientForAsync("tenant-b", "onboarder");

        using var response = await onboarderB.PostAsJsonAsync("/api/v1/images", new { name = system.Unique("for-a"), version = "1", kind = "software-package", owner = "tenant-a" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("yours is 'tenant-b'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_tenant_distributes_the_distribution_is_shown_to_that_tenant_and_operators_only()
    {
        using var distributorA = await system.ClientForAsync("tenant-a", "distributor");
        using var distributorB = await system.ClientForAsync("tenant-b", "distributor");
        var image = TestImage.Random(32 * 1024);
        var imageId = await system.CreateImageAsync("distributed-by-a", sha256: image.Sha256);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        await MakePublicAsync(imageId);
        var vimId = await system.RegisterGlanceAsync("tenant-a-glance", Infrastructure.Glance1);
        using var started = await distributorA.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { vimId } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var distributionId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>();
        await system.WaitForDistributionAsync(Guid.Parse(distributionId));

        using var byA = await distributorA.GetAsync($"/api/v1/distributions/{distributionId}");
        var listedForA = await distributorA.GetFromJsonAsync<JsonObject>($"/api/v1/distributions?imageId={imageId}");
        using var byB = await distributorB.GetAsync($"/api/v1/distributions/{distributionId}");
        var listedForB = await distributorB.GetFromJsonAsync<JsonObject>($"/api/v1/distributions?imageId={imageId}");
        using var targetsForB = await distributorB.GetAsync($"/api/v1/distributions/{distributionId}/targets");
        using var eventsForB = await distributorB.GetAsync($"/api/v1/distributions/{distributionId}/events");
        using var cancelledByB = await distributorB.PostAsync($"/api/v1/distributions/{distributionId}/cancel", null);
        using var retriedByB = await distributorB.PostAsync($"/api/v1/distributions/{distributionId}/retry", null);
        using var byAnOperator = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}");

        Assert.Equal(HttpStatusCode.OK, byA.StatusCode);
        Assert.Single(listedForA!["distributions"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, byB.StatusCode);
        Assert.Empty(listedForB!["distributions"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, targetsForB.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, eventsForB.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancelledByB.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, retriedByB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAnOperator.StatusCode);
    }

    [Fact]
    public async Task When_two_tenants_give_their_private_images_one_name_and_version_each_has_its_own_and_neither_learns_of_the_other()
    {
        using var ownerA = await system.ClientForAsync("tenant-a", "onboarder");
        using var ownerB = await system.ClientForAsync("tenant-b", "onboarder");
        var name = system.Unique($"same-{Guid.NewGuid():N}"[..13]);
        var ofA = await CreateAsync(ownerA, name, new { });

        using var byB = await ownerB.PostAsJsonAsync("/api/v1/images", new { name, version = "1", kind = "software-package" });
        using var againByA = await ownerA.PostAsJsonAsync("/api/v1/images", new { name, version = "1", kind = "software-package" });

        Assert.Equal(HttpStatusCode.Created, byB.StatusCode);
        var ofB = Guid.Parse((await byB.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        Assert.NotEqual(ofA, ofB);
        Assert.Equal([ofB], Ids((await ownerB.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}"))!));
        Assert.Equal(HttpStatusCode.Conflict, againByA.StatusCode);
        Assert.Contains("tenant-a", await againByA.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_name_and_version_is_public_no_other_tenant_publishes_it_again_but_one_may_keep_it_privately()
    {
        using var vendor = await system.ClientForAsync("tenant-vendor", "onboarder");
        using var ownerB = await system.ClientForAsync("tenant-b", "onboarder");
        var name = system.Unique($"public-{Guid.NewGuid():N}"[..15]);
        await CreateAsync(vendor, name, new { visibility = "public" });

        using var publishedAgain = await ownerB.PostAsJsonAsync("/api/v1/images", new { name, version = "1", kind = "software-package", visibility = "public" });
        var keptPrivate = await CreateAsync(ownerB, name, new { });
        using var latestForB = await ownerB.GetAsync($"/api/v1/images?name={name}&version=latest");

        Assert.Equal(HttpStatusCode.Conflict, publishedAgain.StatusCode);
        Assert.Contains("public", await publishedAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, latestForB.StatusCode); // nothing active yet: an empty page, not a refusal
        Assert.Equal(2, Ids((await ownerB.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}"))!).Count);
        Assert.Contains(keptPrivate, Ids((await ownerB.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}&owner=tenant-b"))!));
    }

    async Task MakePublicAsync(Guid imageId)
    {
        using var response = await system.Api.SendAsync(MergePatch(imageId, """{"visibility":"public"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }


    static async Task<Guid> CreateAsync(HttpClient client, string name, object fields)
    {
        var body = new JsonObject { ["name"] = name, ["version"] = "1", ["kind"] = "software-package" };
        foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(fields)!.AsObject())
        {
            body[key] = value?.DeepClone();
        }

        using var response = await client.PostAsJsonAsync("/api/v1/images", body);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating {name} answered {(int)response.StatusCode}: {created}");
        return Guid.Parse(created["id"]!.GetValue<string>());
    }

    static HttpRequestMessage MergePatch(Guid imageId, string patch) =>
        new(HttpMethod.Patch, $"/api/v1/images/{imageId}") { Content = new StringContent(patch, Encoding.UTF8, "application/merge-patch+json") };

    static List<Guid> Ids(JsonObject page) => page["images"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).ToList();
}
