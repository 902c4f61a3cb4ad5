using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Images;

/// <summary>A disk image taken out of a package is catalogued as an image linked to the package, and sent to validation.</summary>
public sealed class PackageImageExtractedTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_a_package_image_is_extracted_it_is_catalogued_under_the_package_and_validated_once_per_delivery()
    {
        await using var uploads = await app.ListenAsync<ImageUploaded>();
        var packageName = $"vnf-{Guid.NewGuid():N}";
        using var created = await _http.PostAsJsonAsync("/api/v1/images", new { name = packageName, version = "2.1", vendor = "acme", kind = "software-package" });
        var packageId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        var extracted = new PackageImageExtracted
        {
            PackageId = packageId,
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
            SignedBy = new ImageSigner
            {
                Subject = "CN=vendor",
                Issuer = "CN=vendor CA",
                SerialNumber = "1F",
                Sha256Fingerprint = new string('c', 64),
                NotAfter = DateTimeOffset.UtcNow.AddYears(1),
                AuthoritySha256Fingerprint = new string('d', 64),
                CertificatePem = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            },
        };

        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(extracted);
        await bus.Publish(extracted); // a redelivery: still one image

        var listed = await Eventually.Get(
            async () => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images?packageId={packageId}"))!["images"]!.AsArray(),
            images => images.Count == 1 && uploads.Where(u => u.ImageId == extracted.ImageId).Count == 2,
            TimeSpan.FromSeconds(30),
            "the package's image, validated");
        var image = listed.Single()!;
        Assert.Equal(
            (extracted.ImageId.ToString(), "vm-image", $"{packageName}/images/vnf.qcow2", "2.1", "acme", "qcow2", "validating"),
            (image["id"]!.GetValue<string>(), image["kind"]!.GetValue<string>(), image["name"]!.GetValue<string>(), image["version"]!.GetValue<string>(),
                image["vendor"]!.GetValue<string>(), image["diskFormat"]!.GetValue<string>(), image["status"]!.GetValue<string>()));
        Assert.Equal((packageId.ToString(), "Files/images/vnf.qcow2", new string('a', 64)),
            (image["packageId"]!.GetValue<string>(), image["pathInPackage"]!.GetValue<string>(), image["declaredSha256"]!.GetValue<string>()));
        var upload = uploads.Where(u => u.ImageId == extracted.ImageId)[0];
        Assert.Equal((packageId, new string('a', 64), 4096L, "qcow2"), (upload.PackageId!.Value, upload.DeclaredSha256, upload.SizeBytes, upload.DiskFormat));
        Assert.Equal(extracted.SignedBy, upload.PackageSignedBy); // the package's signer, handed back to Validation
    }
}
