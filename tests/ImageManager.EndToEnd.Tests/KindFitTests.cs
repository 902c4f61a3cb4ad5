using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.Testing;
using MassTransit;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// An image goes only to a VIM type that takes its kind: VM images to Glance (and Multicloud), container images and Helm
/// charts to OCI registries. A VIM named for the wrong kind is refused up front; a selector's are left out, and the answer
/// says so; a bus request that names one fails that target before a byte is sent.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class KindFitTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_software_package_is_distributed_to_glance_it_is_refused_naming_the_kind_and_the_vim_type()
    {
        var package = await ActiveAsync("software-package", new { }, "kind-package", PackageTarGz());
        var glance = await system.RegisterGlanceAsync("kind-package-glance", Infrastructure.Glance1);

        using var response = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId = package, vimIds = new[] { glance } });

        var detail = await RefusalAsync(response);
        Assert.Contains($"VIM '{glance}'", detail, StringComparison.Ordinal);
        Assert.Contains("type 'openstack' does not take a software-package (tar.gz)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_container_image_is_distributed_to_glance_it_is_refused_up_front()
    {
        var container = TestContainerImage.OciLayout([TestContainerImage.Layer(4_000)]);
        var imageId = await ActiveAsync("container-image", new { containerFormat = "oci" }, "kind-container",
            new TestImage(container.Archive, container.Sha256, container.Sha512));
        var glance = await system.RegisterGlanceAsync("kind-container-glance", Infrastructure.Glance1);

        using var response = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { glance } });

        Assert.Contains("type 'openstack' does not take a container-image", await RefusalAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vm_image_is_distributed_to_a_registry_it_is_refused_up_front()
    {
        var imageId = await ActiveVmImageAsync("kind-disk-to-registry");
        var registry = await system.RegisterVimAsync("kind-registry", Infrastructure.Registry, type: "oci-registry");

        using var response = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { registry } });

        Assert.Contains("type 'oci-registry' does not take a vm-image; it takes container images", await RefusalAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_selector_chooses_glance_and_a_registry_for_a_vm_image_only_glance_is_a_target_and_the_answer_says_why()
    {
        var tag = system.Unique("kind-mixed");
        var imageId = await ActiveVmImageAsync("kind-mixed");
        var glance = await system.RegisterVimAsync("kind-mixed-glance", Infrastructure.Glance1, new Dictionary<string, object?> { ["tags"] = new[] { tag } });
        await system.RegisterVimAsync("kind-mixed-registry", Infrastructure.Registry, new Dictionary<string, object?> { ["tags"] = new[] { tag } }, "oci-registry");

        using var response = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, selector = new { tags = new[] { tag } } });

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"distribute answered {(int)response.StatusCode}: {body}");
        var leftOut = body["leftOut"]!;
        Assert.Equal((1, 1), (leftOut["count"]!.GetValue<int>(), leftOut["byVimType"]!["oci-registry"]!.GetValue<int>()));
        Assert.Contains("does not take a vm-image", leftOut["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var distribution = await system.WaitForDistributionAsync(Guid.Parse(body["distributionId"]!.GetValue<string>()));
        var target = Assert.Single(distribution["targets"]!.AsArray())!;
        Assert.Equal((glance, "succeeded"), (target["vimId"]!.GetValue<string>(), distribution["outcome"]!.GetValue<string>()));
        await DeleteFromGlanceAsync(target["vimImageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_bus_request_names_a_vim_that_does_not_take_the_image_it_is_refused_saying_why_and_nothing_is_sent()
    {
        var name = system.Unique("kind-bus");
        var imageId = await ActiveVmImageAsync("kind-bus");
        var registry = await system.RegisterVimAsync("kind-bus-registry", Infrastructure.Registry, type: "oci-registry");
        var distributionId = NewId.NextGuid();
        var client = system.Bus.CreateRequestClient<DistributeRequested>(RequestTimeout.After(s: 60));

        // The same check as POST /distributions, up front: no target is made to fail late.
        var response = await client.GetResponse<DistributionCompleted, DistributionRefused>(
            new DistributeRequested { DistributionId = distributionId, ImageId = imageId, VimIds = [registry], RequestedAt = DateTimeOffset.UtcNow });

        Assert.True(response.Is(out Response<DistributionRefused>? refused), "the answer is a refusal");
        Assert.Contains("type 'oci-registry' does not take a vm-image", refused!.Message.Reason, StringComparison.Ordinal);
        Assert.Contains(registry, refused.Message.Reason, StringComparison.Ordinal);
        using var distribution = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}");
        Assert.Equal(HttpStatusCode.NotFound, distribution.StatusCode);
        using var registryClient = new HttpClient();
        using var tags = await registryClient.GetAsync(new Uri(Infrastructure.Registry, $"v2/{name}/tags/list"));
        Assert.Equal(HttpStatusCode.NotFound, tags.StatusCode);
    }

    async Task<Guid> ActiveVmImageAsync(string name)
    {
        var image = TestImage.Random(64 * 1024);
        var imageId = await system.CreateImageAsync(name, sha256: image.Sha256);
        await system.UploadAsync(imageId, image);
        Assert.Equal("active", (await system.WaitForStatusAsync(imageId, "active", "rejected"))["status"]!.GetValue<string>());
        return imageId;
    }

    async Task<Guid> ActiveAsync(string kind, object formats, string name, TestImage bytes)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(formats)!.AsObject();
        body["name"] = system.Unique(name);
        body["version"] = "1.0";
        body["kind"] = kind;
        using var response = await system.Api.PostAsJsonAsync("/api/v1/images", body);
        response.EnsureSuccessStatusCode();
        var imageId = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        await system.UploadAsync(imageId, bytes);
        Assert.Equal("active", (await system.WaitForStatusAsync(imageId, "active", "rejected"))["status"]!.GetValue<string>());
        return imageId;
    }

    static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"distribute answered {(int)response.StatusCode}: {problem}");
        Assert.DoesNotContain("distributionId", problem.ToJsonString(), StringComparison.Ordinal);
        return problem["detail"]!.GetValue<string>();
    }

    /// <summary>A tar.gz of files that is no Helm chart: a software package no VIM type takes.</summary>
    static TestImage PackageTarGz()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "vnf-tools/bin/healthcheck.sh") { DataStream = new MemoryStream("#!/bin/sh\nexit 0\n"u8.ToArray()) });
        }

        var bytes = buffer.ToArray();
        return new TestImage(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), Convert.ToHexStringLower(SHA512.HashData(bytes)));
    }

    static async Task DeleteFromGlanceAsync(string vimImageId)
    {
        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        using var _ = await glance.DeleteAsync($"/v2/images/{vimImageId}");
    }
}
