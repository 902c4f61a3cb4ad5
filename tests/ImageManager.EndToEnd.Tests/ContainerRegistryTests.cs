using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A container image through the whole system to the real OCI registry: upload, validate, distribute, the registry serves
/// our tag; then a purge deletes it there. A Helm chart the same way, as helm push stores it. And a registry with basic auth
/// probed with the credentials registered for it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ContainerRegistryTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_container_image_is_distributed_to_a_registry_its_tag_serves_the_layouts_manifest_and_a_purge_deletes_it()
    {
        var container = TestContainerImage.OciLayout([TestContainerImage.Layer(64 * 1024), TestContainerImage.Layer(2_000, "etc/vnf.conf")], gzipArchive: true);
        var name = $"e2e/vnf-agent-{Guid.NewGuid():N}"[..24];
        using var created = await system.Api.PostAsJsonAsync("/api/v1/images", new { name, version = "2.1.0", kind = "container-image", containerFormat = "oci", vendor = "e2e" });
        created.EnsureSuccessStatusCode();
        var imageId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        await system.UploadAsync(imageId, new TestImage(container.Archive, container.Sha256, container.Sha512));
        Assert.Equal("active", (await system.WaitForStatusAsync(imageId, "active", "rejected"))["status"]!.GetValue<string>());
        var vim = await system.RegisterVimAsync("registry", Infrastructure.Registry, type: "oci-registry");

        var distribution = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));

        Assert.Equal("succeeded", distribution["outcome"]!.GetValue<string>());
        var target = distribution["targets"]!.AsArray().Single()!;
        Assert.Equal("active", target["state"]!.GetValue<string>());
        Assert.Equal($"{name}@{container.ImageDigest}", target["vimImageId"]!.GetValue<string>());
        Assert.True(target["bytesSent"]!.GetValue<long>() > 64 * 1024);
        using var registry = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Infrastructure.Registry, $"v2/{name}/manifests/2.1.0"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var manifest = await registry.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(container.ImageDigest, manifest.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(container.ImageDocument, await manifest.Content.ReadAsByteArrayAsync());

        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            l => l["locations"]?.AsArray().Any(x => x!["state"]!.GetValue<string>() == "active") == true, TimeSpan.FromSeconds(30), "the registry location active");
        using var purged = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true");
        Assert.Equal(HttpStatusCode.Accepted, purged.StatusCode);
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/distributions?imageId={imageId}"),
            list => list["distributions"]?.AsArray().Any(d => d!["kind"]?.GetValue<string>() == "removal" && d["state"]!.GetValue<string>() == "completed") == true,
            TimeSpan.FromSeconds(60), "the removal from the registry to complete");
        using var gone = await registry.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(Infrastructure.Registry, $"v2/{name}/manifests/{container.ImageDigest}")));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task When_a_helm_chart_is_distributed_to_a_registry_it_is_served_as_a_helm_artifact_tagged_with_the_chart_version()
    {
        var chartName = $"e2e-chart-{Guid.NewGuid():N}"[..20];
        var chart = TestHelmChart.Package(chartName, "1.2.3");
        using var created = await system.Api.PostAsJsonAsync("/api/v1/images", new { name = system.Unique("chart"), version = "1.2.3", kind = "software-package", vendor = "e2e" });
        created.EnsureSuccessStatusCode();
        var imageId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        await system.UploadAsync(imageId, chart);
        var validated = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal(("active", "software-package", "helm-chart"),
            (validated["status"]!.GetValue<string>(), validated["kind"]!.GetValue<string>(), validated["detectedType"]!.GetValue<string>()));
        var vim = await system.RegisterVimAsync("chart-registry", Infrastructure.Registry, new Dictionary<string, object?> { ["tenant"] = "charts" }, "oci-registry");

        var distribution = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));

        var target = distribution["targets"]!.AsArray().Single()!;
        Assert.Equal(("succeeded", "active"), (distribution["outcome"]!.GetValue<string>(), target["state"]!.GetValue<string>()));
        using var registry = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Infrastructure.Registry, $"v2/charts/{chartName}/manifests/1.2.3"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var manifest = await registry.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal($"charts/{chartName}@{manifest.Headers.GetValues("Docker-Content-Digest").Single()}", target["vimImageId"]!.GetValue<string>());
        var document = (await manifest.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("application/vnd.cncf.helm.config.v1+json", document["config"]!["mediaType"]!.GetValue<string>());
        var layer = document["layers"]!.AsArray().Single()!;
        Assert.Equal(("application/vnd.cncf.helm.chart.content.v1.tar+gzip", $"sha256:{chart.Sha256}"),
            (layer["mediaType"]!.GetValue<string>(), layer["digest"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_a_registry_is_probed_the_registered_credentials_are_used_and_a_refused_password_is_recorded_without_it()
    {
        const string wrong = "not-the-registry-password-e2e";
        var good = await system.RegisterVimAsync("registry-basic", Infrastructure.RegistryAuth,
            new Dictionary<string, object?> { ["credentials"] = new { username = Infrastructure.RegistryAuthUser, password = Infrastructure.RegistryAuthPassword } }, "oci-registry");
        var bad = await system.RegisterVimAsync("registry-wrong", Infrastructure.RegistryAuth,
            new Dictionary<string, object?> { ["credentials"] = new { username = Infrastructure.RegistryAuthUser, password = wrong } }, "oci-registry");

        using var goodProbe = await system.Api.PostAsync($"/api/v1/vims/{good}/probe", null);
        using var badProbe = await system.Api.PostAsync($"/api/v1/vims/{bad}/probe", null);

        var healthy = (await goodProbe.Content.ReadFromJsonAsync<JsonObject>())!;
        var refused = (await badProbe.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("healthy", null), (healthy["state"]!.GetValue<string>(), healthy["lastError"]?.GetValue<string>()));
        Assert.Contains("401", refused["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, refused.ToJsonString(), StringComparison.Ordinal);
    }
}
