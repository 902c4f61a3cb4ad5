using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Signed receipts through the Api after a real distribution to Glance: verified offline with nothing but the published
/// keys, stating what the catalogue and Glance say; refused for what did not end active, hidden from other tenants.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ReceiptTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_target_ends_active_its_receipt_verifies_offline_with_the_published_keys_and_states_the_image_and_the_vim_copy()
    {
        var (imageId, vimId, distributionId) = await DistributedAsync("receipt");

        var receipt = await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets/{vimId}/receipt");
        var keys = await system.GetJsonAsync("/api/v1/receipts/keys");

        var token = receipt["receipt"]!.GetValue<string>();
        var verified = await VerifyAsync(token, keys);
        Assert.True(verified.IsValid, verified.Exception?.Message);
        var image = await system.GetJsonAsync($"/api/v1/images/{imageId}");
        var target = (await system.GetJsonAsync($"/api/v1/distributions/{distributionId}/targets"))["targets"]!.AsArray().Single()!;
        var claims = verified.Claims;
        Assert.Equal(
            (distributionId.ToString(), imageId.ToString(), image["sha512"]!.GetValue<string>(), vimId, target["vimImageId"]!.GetValue<string>()),
            ((string)claims["distributionId"], (string)claims["imageId"], (string)claims["sha512"], (string)claims["vimId"], (string)claims["vimImageId"]));
        Assert.Equal(receipt["keyId"]!.GetValue<string>(), new JsonWebToken(token).Kid);
        var onGlance = await SystemFixture.ReadGlanceImageAsync(Infrastructure.Glance2, (string)claims["vimImageId"]);
        Assert.Equal("active", onGlance["status"]!.GetValue<string>());

        // Offline verification checks the bytes: a receipt with one claim changed does not verify.
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["vimId"] = "another-site";
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
        Assert.False((await VerifyAsync(forged, keys)).IsValid);

        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance2 };
        using var _ = await glance.DeleteAsync($"/v2/images/{claims["vimImageId"]}");
    }

    [Fact]
    public async Task When_a_target_did_not_end_active_or_the_distribution_is_another_tenants_no_receipt_is_given()
    {
        var (imageId, vimId, distributionId) = await DistributedAsync("no-receipt");
        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/removals", new { imageId, vimIds = new[] { vimId } });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var removalId = Guid.Parse((await accepted.Content.ReadFromJsonAsync<JsonObject>())!["removalId"]!.GetValue<string>());
        await system.WaitForDistributionAsync(removalId);
        using var otherTenant = await system.ClientForAsync("tenant-receipts", "viewer");

        using var ofRemoval = await system.Api.GetAsync($"/api/v1/distributions/{removalId}/targets/{vimId}/receipt");
        using var ofUnknownVim = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}/targets/no-such-vim/receipt");
        using var ofOthers = await otherTenant.GetAsync($"/api/v1/distributions/{distributionId}/targets/{vimId}/receipt");

        Assert.Equal(HttpStatusCode.Conflict, ofRemoval.StatusCode);
        Assert.Contains("'removed'", await ofRemoval.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, ofUnknownVim.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, ofOthers.StatusCode);
    }

    async Task<(Guid ImageId, string VimId, Guid DistributionId)> DistributedAsync(string name)
    {
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, TestImage.Random(32 * 1024));
        await system.WaitForStatusAsync(imageId, "active");
        var vimId = await system.RegisterGlanceAsync(name, Infrastructure.Glance2);
        var distributionId = await system.DistributeAsync(imageId, vimId);
        var done = await system.WaitForDistributionAsync(distributionId);
        Assert.Equal("succeeded", done["outcome"]!.GetValue<string>());
        return (imageId, vimId, distributionId);
    }

    /// <summary>What an auditor does with a receipt and the published key set, offline.</summary>
    static Task<TokenValidationResult> VerifyAsync(string receipt, JsonObject publishedKeys) =>
        new JsonWebTokenHandler().ValidateTokenAsync(receipt, new TokenValidationParameters
        {
            IssuerSigningKeys = new JsonWebKeySet(publishedKeys.ToJsonString()).GetSigningKeys(),
            ValidIssuer = "image-manager",
            ValidTypes = ["image-manager-receipt+jwt"],
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
}
