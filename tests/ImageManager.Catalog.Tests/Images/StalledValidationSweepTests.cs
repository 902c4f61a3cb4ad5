using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using MassTransit;
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

    [Fact]
    public async Task When_an_image_from_a_signed_package_is_published_again_it_carries_the_packages_signer()
    {
        await using var seen = await app.ListenAsync<ImageUploaded>();
        var (_, pem) = TestAuthority.Shared.IssueRsa();
        var signer = new ImageSigner
        {
            Subject = "CN=vendor signing key",
            Issuer = "CN=Image Manager Test CA",
            SerialNumber = "1F",
            Sha256Fingerprint = new string('c', 64),
            NotAfter = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
            AuthoritySha256Fingerprint = new string('d', 64),
            CertificatePem = pem,
        };
        var package = await CreateValidating("package");
        await app.Services.GetRequiredService<IBus>().Publish(new ImageValidated
        {
            ImageId = package,
            Name = "package",
            Version = "1",
            Kind = "software-package",
            SizeBytes = 42,
            Sha256 = new string('1', 64),
            Sha512 = new string('2', 128),
            SignedBy = signer,
            ValidatedAt = DateTimeOffset.UtcNow,
        });
        await Eventually.Get(
            async () => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{package}"))!,
            image => image["status"]!.GetValue<string>() == "active",
            TimeSpan.FromSeconds(30),
            "the signed package, active");
        var extracted = new PackageImageExtracted
        {
            PackageId = package,
            ImageId = Guid.NewGuid(),
            PathInPackage = "Files/images/vnf.qcow2",
            DiskFormat = "qcow2",
            SizeBytes = 4096,
            Sha256 = new string('a', 64),
            Sha512 = new string('b', 128),
            VirtualSizeBytes = 1 << 30,
            ManifestAlgorithm = "SHA-256",
            ManifestHash = new string('a', 64),
            ExtractedAt = DateTimeOffset.UtcNow,
            SignedBy = signer,
        };
        await app.Services.GetRequiredService<IBus>().Publish(extracted);
        await seen.WaitForAsync(e => e.ImageId == extracted.ImageId, "the extracted image's upload");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await db.Images.Where(i => i.Id == extracted.ImageId).ExecuteUpdateAsync(set => set.SetProperty(i => i.UpdatedAt, DateTimeOffset.UtcNow.AddHours(-1)));
        }

        await app.Services.GetRequiredService<StalledValidationSweep>().SweepAsync(CancellationToken.None);

        await Eventually.Get(() => Task.FromResult(seen.Where(e => e.ImageId == extracted.ImageId)), uploads => uploads.Count == 2, TimeSpan.FromSeconds(30), "the republished upload");
        var republished = seen.Where(e => e.ImageId == extracted.ImageId)[1];
        Assert.Equal(package, republished.PackageId);
        Assert.Equal(signer, republished.PackageSignedBy); // Validation checks the package's signer again, as at extraction
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
