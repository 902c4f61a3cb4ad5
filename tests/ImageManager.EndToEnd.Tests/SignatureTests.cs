using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Signed images through HTTP: a registered or inline certificate, verified against the trusted authority.</summary>
[Collection(SystemCollection.Name)]
public sealed class SignatureTests(SystemFixture system)
{
    [Fact]
    public async Task When_an_image_is_signed_with_a_registered_certificate_it_becomes_active()
    {
        var image = TestImage.Random(512 * 1024);
        var (key, certificate) = system.Authority.IssueRsa();
        using var registered = await system.Api.PostAsJsonAsync("/api/v1/certificates", new { pem = certificate, name = "acme signing" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var certificateId = (await registered.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var signed = TestAuthority.SignRsaPss(image.Bytes, key, certificate);
        var imageId = await system.CreateImageAsync("signed", signature: new { value = signed.Value, hashMethod = "SHA-256", keyType = "RSA-PSS", certificateId });

        Assert.Equal("active", await Verdict(imageId, image));
    }

    [Fact]
    public async Task When_the_signature_covers_other_bytes_the_image_is_rejected_with_the_reason()
    {
        var image = TestImage.Random(256 * 1024);
        var (key, certificate) = system.Authority.IssueEcdsa(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var signedOther = TestAuthority.SignEcdsa(TestImage.Random(10).Bytes, key, certificate, "ECC_SECP384R1");
        var imageId = await system.CreateImageAsync("mis-signed",
            signature: new { value = signedOther.Value, hashMethod = "SHA-384", keyType = "ECC_SECP384R1", certificate });

        Assert.Equal("rejected", await Verdict(imageId, image));
        var rejected = await system.GetJsonAsync($"/api/v1/images/{imageId}");
        Assert.Contains("signature does not match the image data", rejected["rejectionReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_signature_names_an_unregistered_certificate_it_is_refused()
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/images", new
        {
            name = $"unregistered-{Guid.NewGuid():N}",
            version = "1",
            kind = "software-package",
            signature = new { value = "AAAA", hashMethod = "SHA-256", keyType = "RSA-PSS", certificateId = Guid.NewGuid() },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("names no registered certificate", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    async Task<string> Verdict(Guid imageId, TestImage image)
    {
        await system.UploadAsync(imageId, image);
        return (await system.WaitForStatusAsync(imageId, "active", "rejected"))["status"]!.GetValue<string>();
    }
}
