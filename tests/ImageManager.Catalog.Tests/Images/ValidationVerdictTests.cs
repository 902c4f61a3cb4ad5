using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Images;

/// <summary>The validation verdict reaches the catalogue over the real broker.</summary>
public sealed class ValidationVerdictTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_an_image_is_validated_it_becomes_active()
    {
        var id = await CreateValidating();

        await app.Services.GetRequiredService<IBus>().Publish(new ImageValidated
        {
            ImageId = id,
            Name = "n",
            Version = "1",
            Kind = "vm-image",
            SizeBytes = 1,
            Sha256 = "a",
            Sha512 = "b",
            ValidatedAt = DateTimeOffset.UtcNow,
        });

        await Eventually.Get(() => Read(id), image => image["status"]!.GetValue<string>() == "active", TimeSpan.FromSeconds(30), "active");
    }

    [Fact]
    public async Task When_an_image_is_rejected_it_keeps_the_reason()
    {
        var id = await CreateValidating();

        await app.Services.GetRequiredService<IBus>().Publish(new ImageRejected { ImageId = id, Reason = "Declared sha256 does not match", RejectedAt = DateTimeOffset.UtcNow });

        var image = await Eventually.Get(() => Read(id), image => image["status"]!.GetValue<string>() == "rejected", TimeSpan.FromSeconds(30), "rejected");
        Assert.Equal("Declared sha256 does not match", image["rejectionReason"]!.GetValue<string>());
    }

    async Task<Guid> CreateValidating()
    {
        using var created = await _http.PostAsJsonAsync("/api/v1/images", new { name = $"verdict-{Guid.NewGuid():N}", version = "1", kind = "software-package" });
        var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        using var uploaded = await _http.PostAsJsonAsync($"/internal/v1/images/{id}/upload-completed", new { sha256 = new string('1', 64), sha512 = new string('2', 128), sizeBytes = 1 });
        uploaded.EnsureSuccessStatusCode();
        return id;
    }

    async Task<JsonObject> Read(Guid id) => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{id}"))!;
}
