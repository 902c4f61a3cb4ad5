using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.OpenApi.Tests.Client.Models;
using ImageManager.Testing;

namespace ImageManager.OpenApi.Tests;

/// <summary>
/// The C# client Kiota generates from the document (at build time, from <c>docs/openapi.json</c>, which
/// <see cref="DocumentTests"/> holds to what the Api serves), used as an integrator would: every call, body and answer
/// below goes through its generated types, against the running system and a real Glance.
/// </summary>
[Collection(OpenApiCollection.Name)]
public sealed class GeneratedClientTests(OpenApiSystem system)
{
    [Fact]
    public async Task When_a_generated_client_registers_a_VIM_then_creates_uploads_and_distributes_an_image_the_distribution_completes()
    {
        var client = system.GeneratedClient();
        var vimId = system.VimIdOf("kiota-glance");
        var vim = await client.Api.V1.Vims.PostAsync(new RegisterVimRequest { Id = vimId, Type = "openstack", Endpoint = Infrastructure.Glance1.ToString() });
        Assert.Equal(vimId, vim!.Id);

        var image = TestImage.Random(1024 * 1024);
        var created = await client.Api.V1.Images.PostAsync(new CreateImageRequest
        {
            Name = system.Unique("kiota"),
            Version = "1.0.0",
            Kind = "vm-image",
            DiskFormat = "raw",
            ContainerFormat = "bare",
            Sha256 = image.Sha256,
        });
        Assert.Equal("queued", created!.Status);
        var imageId = created.Id!.Value;

        using (var bytes = new MemoryStream(image.Bytes))
        {
            var uploaded = await client.Api.V1.Images[imageId].File.PutAsync(bytes);
            Assert.Equal(image.Sha256, uploaded!.Sha256);
        }

        var validated = await Eventually.Get(() => client.Api.V1.Images[imageId].GetAsync(), i => i!.Status is "active" or "rejected", TimeSpan.FromSeconds(60), "validation");
        Assert.Equal("active", validated!.Status);
        Assert.Equal(image.Bytes.Length, validated.SizeBytes);

        var accepted = await client.Api.V1.Distributions.PostAsync(new CreateDistributionRequest { ImageId = imageId, VimIds = [vimId] });
        var distributionId = accepted!.DistributionId!.Value;
        var distribution = await Eventually.Get(
            () => client.Api.V1.Distributions[distributionId].GetAsync(), d => d!.State == "completed", TimeSpan.FromSeconds(90), "the distribution to complete");

        Assert.Equal("succeeded", distribution!.Outcome);
        Assert.Equal(1.0, distribution.Progress);
        var target = Assert.Single(distribution.Targets!);
        Assert.Equal((vimId, "active", image.Bytes.Length), (target.VimId, target.State, target.BytesSent));
        Assert.Equal("active", await GlanceImageStatusAsync(target.VimImageId!));
    }

    [Fact]
    public async Task When_a_generated_client_asks_for_an_image_that_does_not_exist_it_gets_the_problem_with_its_detail()
    {
        var client = system.GeneratedClient();
        var id = Guid.NewGuid();

        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => client.Api.V1.Images[id].GetAsync());

        Assert.Equal(404, problem.ResponseStatusCode);
        Assert.Contains(id.ToString(), problem.Detail, StringComparison.Ordinal);
    }

    /// <summary>The image's status as the Glance VIM itself shows it.</summary>
    static async Task<string?> GlanceImageStatusAsync(string glanceImageId)
    {
        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        var image = await glance.GetFromJsonAsync<JsonObject>($"/v2/images/{glanceImageId}");
        return image?["status"]?.GetValue<string>();
    }
}
