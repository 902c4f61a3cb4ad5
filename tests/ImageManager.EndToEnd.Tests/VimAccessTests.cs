using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// How the system reaches real VIMs beyond a plain push: a Glance that pulls the image from the Api (web-download), and
/// a Glance behind Keystone registered by its identity URL and an application credential only.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class VimAccessTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_vim_takes_web_downloads_it_pulls_the_image_from_the_api_and_the_bytes_are_proved_by_its_hash()
    {
        var image = TestImage.Random(300 * 1024);
        var imageId = await system.CreateImageAsync("pulled");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        var vimId = await system.RegisterGlanceAsync("pulling", Infrastructure.Glance1, uploadMode: "web-download");

        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vimId));

        var target = done["targets"]!.AsArray().Single()!;
        var vimImageId = target["vimImageId"]!.GetValue<string>();
        try
        {
            Assert.Equal(("active", (long)image.Bytes.Length), (target["state"]!.GetValue<string>(), done["bytesSent"]!.GetValue<long>()));
            var stored = await SystemFixture.ReadGlanceImageAsync(Infrastructure.Glance1, vimImageId);
            Assert.Equal((image.Sha512, "sha512"), (stored["os_hash_value"]!.GetValue<string>(), stored["os_hash_algo"]!.GetValue<string>()));

            // Glance fetched the bytes itself, from the Api's download of the image.
            using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
            var task = (await glance.GetFromJsonAsync<JsonObject>($"/v2/images/{vimImageId}/tasks"))!["tasks"]!.AsArray().Single()!;
            var method = task["input"]!["import_req"]!["method"]!;
            var link = new Uri(method["uri"]!.GetValue<string>());
            Assert.Equal(("success", "web-download", new Uri(system.Api.BaseAddress!, $"api/v1/images/{imageId}/file").ToString()),
                (task["status"]!.GetValue<string>(), method["name"]!.GetValue<string>(), link.GetLeftPart(UriPartial.Path)));

            // Glance sends no credentials: the link is signed, opens this image to its holder, and nothing once altered.
            // The link also names the transfer it serves (the target whose pulled bytes it counts), under the signature.
            Assert.Matches("^\\?expires=[0-9]+&signature=[0-9a-f]{64}&transfer=[^&]+$", link.Query);
            using var anonymous = new HttpClient();
            using var followed = await anonymous.GetAsync(link);
            var signed = System.Text.RegularExpressions.Regex.Match(link.Query, "signature=(?<signature>[0-9a-f]{64})").Groups["signature"].Value;
            using var altered = await anonymous.GetAsync(link.ToString().Replace(signed, new string(signed.Select(c => c == '0' ? '1' : '0').ToArray()), StringComparison.Ordinal));
            using var unsigned = await anonymous.GetAsync(link.GetLeftPart(UriPartial.Path));
            Assert.Equal(image.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await followed.Content.ReadAsByteArrayAsync())));
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (altered.StatusCode, unsigned.StatusCode));
        }
        finally
        {
            using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
            using var _ = await glance.DeleteAsync($"/v2/images/{vimImageId}");
        }
    }

    [Fact]
    public async Task When_a_vim_is_behind_keystone_the_image_reaches_it_through_the_catalog_and_its_credentials_are_never_shown()
    {
        await using var keystone = new KeystoneAdmin();
        var account = await keystone.CreateAccountAsync();
        var image = TestImage.Random(200 * 1024);
        var imageId = await system.CreateImageAsync("keystone");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");

        // Nothing listens at the endpoint given: the image can only reach Glance through the catalog.
        var vimId = await system.RegisterVimAsync("behind-keystone", new Uri("http://127.0.0.1:9/"), new Dictionary<string, object?>
        {
            ["identityUrl"] = KeystoneAdmin.IdentityUrl,
            ["region"] = Infrastructure.KeystoneRegion,
            ["credentials"] = new { applicationCredentialId = account.ApplicationCredentialId, applicationCredentialSecret = account.ApplicationCredentialSecret },
        });
        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vimId));

        var target = done["targets"]!.AsArray().Single()!;
        using var glance = new HttpClient { BaseAddress = Infrastructure.GlanceKeystone };
        glance.DefaultRequestHeaders.Add("X-Auth-Token", await KeystoneAdmin.LogInAsync(glance, KeystoneAdmin.IdentityUrl, account.UserName, account.Password, account.ProjectName));
        var vimImageId = target["vimImageId"]!.GetValue<string>();
        try
        {
            Assert.Equal("active", target["state"]!.GetValue<string>());
            var stored = (await glance.GetFromJsonAsync<JsonObject>($"/v2/images/{vimImageId}"))!;
            Assert.Equal(image.Sha512, stored["os_hash_value"]!.GetValue<string>());
            var shown = await system.Api.GetStringAsync($"/api/v1/vims/{vimId}");
            Assert.Contains("\"hasCredentials\":true", shown, StringComparison.Ordinal);
            Assert.DoesNotContain(account.ApplicationCredentialSecret, shown, StringComparison.Ordinal);
        }
        finally
        {
            using var _ = await glance.DeleteAsync($"/v2/images/{vimImageId}");
        }
    }
}
