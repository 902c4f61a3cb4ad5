using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Trust withdrawn through the running system: the real Validation reads a revocation list dropped into its trust-store
/// folder (looked at every second in this system: <c>Signatures:TrustStoreReviewInterval</c>), publishes
/// <c>TrustStoreChanged</c>, and the Catalog withdraws the trust of the image signed with the revoked certificate: it is
/// shown withdrawn with the reason, left out of <c>latest</c>, refused for distribution, and subscribers are told.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TrustWithdrawalTests(SystemFixture system)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_a_revocation_list_revoking_the_signer_enters_the_trust_store_the_images_trust_is_withdrawn_everywhere()
    {
        using var subscriber = new WebhookSubscriber();
        using (var subscribed = await system.Api.PostAsJsonAsync("/api/v1/subscriptions", new
        {
            url = subscriber.Url,
            events = new[] { "org.onap.imagemanager.image.trust.withdrawn" },
            secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
            description = "trust withdrawal",
        }))
        {
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        }

        var bytes = TestImage.Random(64 * 1024);
        var (key, certificate) = system.Authority.IssueRsa();
        var signature = TestAuthority.SignRsaPss(bytes.Bytes, key, certificate);
        var imageId = await system.CreateImageAsync("revoked-signer",
            signature: new { value = signature.Value, hashMethod = "SHA-256", keyType = "RSA-PSS", certificate });
        await system.UploadAsync(imageId, bytes);
        var image = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal("active", image["status"]!.GetValue<string>());
        Assert.Equal("trusted", image["trust"]!.GetValue<string>());
        using var signer = X509Certificate2.CreateFromPem(certificate);
        Assert.Equal(signer.SerialNumber.TrimStart('0'), image["signedBy"]!["serialNumber"]!.GetValue<string>());
        var name = image["name"]!.GetValue<string>();
        Assert.Single(await LatestAsync(name));
        var glance = await system.RegisterGlanceAsync("trust-withdrawal-glance", Infrastructure.Glance1);

        system.Authority.Revoke(certificate, X509RevocationReason.KeyCompromise, new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

        var withdrawn = await Eventually.Get(
            () => system.GetJsonAsync($"/api/v1/images/{imageId}"), i => i["trust"]!.GetValue<string>() == "withdrawn", Patience, "the image's trust withdrawn");
        var reason = "certificate CN=vendor signing key revoked by CN=Image Manager Test CA on 2026-12-01 08:00:00 UTC (keyCompromise)";
        Assert.Equal(reason, withdrawn["trustWithdrawnReason"]!.GetValue<string>());
        Assert.Empty(await LatestAsync(name));

        using var refused = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { glance } });
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"distribute answered {(int)refused.StatusCode}: {problem}");
        Assert.Contains($"is no longer trusted: {reason}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var told = await subscriber.WaitForAsync(received => received.Any(d => d.Subject == imageId.ToString()), "image.trust.withdrawn");
        Assert.Equal("org.onap.imagemanager.image.trust.withdrawn", told.First(d => d.Subject == imageId.ToString()).Type);
    }

    async Task<JsonArray> LatestAsync(string name) =>
        (await system.GetJsonAsync($"/api/v1/images?name={Uri.EscapeDataString(name)}&version=latest"))["images"]!.AsArray();
}
