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
    public async Task When_a_signed_and_scanned_image_is_validated_the_scan_and_signer_are_shown_without_the_certificate()
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
            MalwareScan = "clean",
            SignedBy = new ImageSigner
            {
                Subject = "CN=vendor signing, O=Acme",
                Issuer = "CN=Acme CA",
                SerialNumber = "0A1B",
                Sha256Fingerprint = new string('c', 64),
                NotAfter = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
                AuthoritySha256Fingerprint = new string('d', 64),
                CertificatePem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            },
            ValidatedAt = DateTimeOffset.UtcNow,
        });

        var image = await Eventually.Get(() => Read(id), image => image["status"]!.GetValue<string>() == "active", TimeSpan.FromSeconds(30), "active");
        Assert.Equal("clean", image["malwareScan"]!.GetValue<string>());
        Assert.Equal("trusted", image["trust"]!.GetValue<string>());
        var signer = image["signedBy"]!.AsObject();
        Assert.Equal("CN=vendor signing, O=Acme", signer["subject"]!.GetValue<string>());
        Assert.Equal("CN=Acme CA", signer["issuer"]!.GetValue<string>());
        Assert.Equal("0A1B", signer["serialNumber"]!.GetValue<string>());
        Assert.Equal(new string('c', 64), signer["sha256Fingerprint"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), signer["notAfter"]!.GetValue<DateTimeOffset>());
        Assert.DoesNotContain("BEGIN CERTIFICATE", image.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_unsigned_image_is_validated_it_has_no_signer_and_no_trust_state()
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
            MalwareScan = "not-scanned",
            ValidatedAt = DateTimeOffset.UtcNow,
        });

        var image = await Eventually.Get(() => Read(id), image => image["status"]!.GetValue<string>() == "active", TimeSpan.FromSeconds(30), "active");
        Assert.Equal("not-scanned", image["malwareScan"]!.GetValue<string>());
        Assert.Null(image["signedBy"]);
        Assert.Null(image["trust"]);
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
