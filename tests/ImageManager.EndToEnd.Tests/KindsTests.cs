using System.Formats.Tar;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Container images and software packages through HTTP, validated from their bytes like VM images.</summary>
[Collection(SystemCollection.Name)]
public sealed class KindsTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_docker_save_archive_is_uploaded_its_layers_are_verified_and_it_becomes_active()
    {
        var archive = DockerSave(tamperLayer: false);
        var imageId = await Create("container-image", new { containerFormat = "docker" }, "agent");

        await system.UploadAsync(imageId, archive);

        var active = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal("active", active["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_layer_does_not_match_its_diff_id_the_container_image_is_rejected()
    {
        var imageId = await Create("container-image", new { containerFormat = "docker" }, "tampered-agent");

        await system.UploadAsync(imageId, DockerSave(tamperLayer: true));

        var rejected = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        Assert.Contains("layer", rejected["rejectionReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_package_archive_escapes_its_folder_it_is_rejected_naming_the_entry()
    {
        var imageId = await Create("software-package", new { }, "escaping-package");

        await system.UploadAsync(imageId, Tar(("../../etc/cron.d/evil", "* * * * * root sh -c 'id'"u8.ToArray())));

        var rejected = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        Assert.Contains("../../etc/cron.d/evil", rejected["rejectionReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    async Task<Guid> Create(string kind, object formats, string name)
    {
        var body = JsonSerializer.SerializeToNode(formats)!.AsObject();
        body["name"] = $"{name}-{Guid.NewGuid():N}";
        body["version"] = "1.0";
        body["kind"] = kind;
        using var response = await system.Api.PostAsJsonAsync("/api/v1/images", body);
        response.EnsureSuccessStatusCode();
        return Guid.Parse((await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<string>());
    }

    /// <summary>A minimal <c>docker save</c> archive: manifest.json, the config with its diff_ids, one layer tar.</summary>
    static TestImage DockerSave(bool tamperLayer)
    {
        var layer = Tar(("hello.txt", "hello from the layer\n"u8.ToArray())).Bytes;
        var diffId = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(layer))}";
        var config = JsonSerializer.SerializeToUtf8Bytes(new { architecture = "amd64", os = "linux", rootfs = new { type = "layers", diff_ids = new[] { diffId } } });
        var configName = $"{Convert.ToHexStringLower(SHA256.HashData(config))}.json";
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[] { new { Config = configName, RepoTags = new[] { "vnf/agent:1.0" }, Layers = new[] { "layer1/layer.tar" } } });
        if (tamperLayer)
        {
            layer = Tar(("hello.txt", "something else entirely\n"u8.ToArray())).Bytes;
        }

        return Tar(("manifest.json", manifest), (configName, config), ("layer1/layer.tar", layer));
    }

    static TestImage Tar(params (string Name, byte[] Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        var bytes = buffer.ToArray();
        return new TestImage(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), Convert.ToHexStringLower(SHA512.HashData(bytes)));
    }
}
