using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Images;

/// <summary>An upload whose ImageUploaded was lost is validated all the same.</summary>
public sealed class StalledValidationSweepTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_an_image_waits_in_validating_too_long_its_upload_is_published_again_once()
    {
        await using var seen = await app.ListenAsync<ImageUploaded>();

        var fresh = await CreateValidating("fresh");
        var stalled = await CreateValidating("stalled");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var longAgo = DateTimeOffset.UtcNow.AddHours(-1);
            await db.Images.Where(i => i.Id == stalled).ExecuteUpdateAsync(set => set.SetProperty(i => i.UpdatedAt, longAgo));
        }

        var sweep = app.Services.GetRequiredService<StalledValidationSweep>();
        var first = await sweep.SweepAsync(CancellationToken.None);
        var second = await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(0, second); // republished images wait a whole RevalidateAfter again
        await seen.WaitForAsync(e => e.ImageId == stalled, "the republished upload");
        var republished = seen.Where(e => e.ImageId == stalled);
        Assert.Equal((new string('1', 64), 42L), (republished.Single().Sha256, republished.Single().SizeBytes));
        Assert.Empty(seen.Where(e => e.ImageId == fresh));
    }

    [Fact]
    public async Task When_a_signed_image_is_published_again_it_carries_its_signature_with_the_registered_certificate()
    {
        await using var seen = await app.ListenAsync<ImageUploaded>();
        var (_, pem) = TestAuthority.Shared.IssueEcdsa(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        using var registered = await _http.PostAsJsonAsync("/api/v1/certificates", new { name = "sweep", pem });
        registered.EnsureSuccessStatusCode();
        var certificateId = Guid.Parse((await registered.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        var signature = new { value = Convert.ToBase64String(new byte[96]), hashMethod = "SHA-384", keyType = "ECC_SECP384R1", certificateId };
        var stalled = await CreateValidating("signed", signature);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await db.Images.Where(i => i.Id == stalled).ExecuteUpdateAsync(set => set.SetProperty(i => i.UpdatedAt, DateTimeOffset.UtcNow.AddHours(-1)));
        }

        await app.Services.GetRequiredService<StalledValidationSweep>().SweepAsync(CancellationToken.None);

        await seen.WaitForAsync(e => e.ImageId == stalled, "the republished upload");
        var declared = seen.Where(e => e.ImageId == stalled).Single().Signature!;
        Assert.Equal((signature.value, "SHA-384", "ECC_SECP384R1", pem.Trim()), (declared.Value, declared.HashMethod, declared.KeyType, declared.CertificatePem!.Trim()));
    }

    async Task<Guid> CreateValidating(string name, object? signature = null)
    {
        using var created = await _http.PostAsJsonAsync("/api/v1/images", new { name = $"{name}-{Guid.NewGuid():N}", version = "1", kind = "software-package", signature });
        created.EnsureSuccessStatusCode();
        var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        using var uploaded = await _http.PostAsJsonAsync($"/internal/v1/images/{id}/upload-completed", new { sha256 = new string('1', 64), sha512 = new string('2', 128), sizeBytes = 42 });
        uploaded.EnsureSuccessStatusCode();
        return id;
    }
}
