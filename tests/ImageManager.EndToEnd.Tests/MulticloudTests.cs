using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A VIM reached through ONAP Multicloud, end to end: registered through the Api (a tenant is required) and
/// distributed to. There is no real Multicloud here; the VIM simulator's Multicloud subset stands in for it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class MulticloudTests(SystemFixture system) : IAsyncLifetime
{
    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_an_image_is_distributed_to_a_multicloud_vim_the_bytes_are_proved_by_its_hash()
    {
        var bytes = TestImage.Random(50_000);
        var imageId = await system.CreateImageAsync("multicloud");
        await system.UploadAsync(imageId, bytes);
        await system.WaitForStatusAsync(imageId, "active");
        var vim = await system.RegisterVimAsync("multicloud", _simulator.Multicloud.Endpoint, new Dictionary<string, object?> { ["tenant"] = "e2e-tenant" }, "onap-multicloud");

        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));

        Assert.Equal(("succeeded", "active", 50_000L), (done["outcome"]!.GetValue<string>(), done["targets"]![0]!["state"]!.GetValue<string>(), done["bytesSent"]!.GetValue<long>()));
        var held = Assert.Single(_simulator.Multicloud.ImagesOf(vim, "e2e-tenant"));
        Assert.Equal((done["targets"]![0]!["vimImageId"]!.GetValue<string>(), bytes.Sha512), (held.Record["id"]!.GetValue<string>(), held.Sha512));
    }

    [Fact]
    public async Task When_a_multicloud_vim_is_registered_without_a_tenant_the_answer_names_the_tenant()
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/vims", new { id = $"e2e_mc-no-tenant-{Guid.NewGuid():N}"[..30], type = "onap-multicloud", endpoint = _simulator.Multicloud.Endpoint });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("tenant", problem["errors"]!["tenant"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
