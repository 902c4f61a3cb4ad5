using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using MySqlConnector;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// API keys through the running system: made by an admin, kept by the Catalog only as a hash, working for what their
/// role allows, and refused once revoked or expired; the services behind the Api answer nobody but the Api.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AccessTests(SystemFixture system)
{
    [Fact]
    public async Task When_an_admin_creates_a_key_it_is_shown_once_only_its_hash_is_kept_and_it_acts_within_its_role()
    {
        var created = await CreateKeyAsync("sdc-e2e", "tenant-a", ["onboarder"]);
        var key = created["key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<string>();
        using var onboarder = system.ApiClient(key);

        using var allowed = await onboarder.PostAsJsonAsync("/api/v1/images", new { name = system.Unique("by-key"), version = "1", kind = "software-package" });
        using var refused = await onboarder.PostAsJsonAsync("/api/v1/vims", new { id = system.VimIdOf("by-key"), type = "openstack", endpoint = "http://127.0.0.1:9/" });
        var shown = await system.GetJsonAsync($"/api/v1/api-keys/{id}");
        var listed = await system.GetJsonAsync("/api/v1/api-keys");

        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("'operator'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var secret = key[(key.LastIndexOf('_') + 1)..];
        Assert.DoesNotContain(secret, shown.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(shown["key"]);
        Assert.Equal("bootstrap-admin", shown["createdBy"]!.GetValue<string>());
        Assert.Contains(listed["apiKeys"]!.AsArray(), k => k!["id"]!.GetValue<string>() == id);

        // What the database holds: the SHA-256 of the secret, never the secret.
        await using var connection = new MySqlConnection(system.CatalogConnection);
        await connection.OpenAsync();
        await using var row = new MySqlCommand("SELECT CONCAT_WS('|', id, name, tenant, roles, secret_sha256, created_by) FROM api_keys WHERE id = @id", connection);
        row.Parameters.AddWithValue("@id", id);
        var stored = (string)(await row.ExecuteScalarAsync())!;
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))), stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_key_is_revoked_it_is_refused_at_once_saying_so()
    {
        var created = await CreateKeyAsync("so-e2e", "tenant-a", ["distributor"]);
        using var distributor = system.ApiClient(created["key"]!.GetValue<string>());
        using (var before = await distributor.GetAsync("/api/v1/distributions"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var revoke = await system.Api.DeleteAsync($"/api/v1/api-keys/{created["id"]!.GetValue<string>()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await distributor.GetAsync("/api/v1/distributions");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("was revoked at", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_key_has_expired_it_is_refused_saying_so()
    {
        var created = await CreateKeyAsync("short-lived", "tenant-a", ["viewer"], DateTimeOffset.UtcNow.AddSeconds(3));
        using var viewer = system.ApiClient(created["key"]!.GetValue<string>());
        using (var before = await viewer.GetAsync("/api/v1/vims"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var refused = await Eventually.Get(
            async () =>
            {
                using var response = await viewer.GetAsync("/api/v1/vims");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            answer => answer.StatusCode != HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "the key to expire");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired at", refused.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("imk_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well-formed, but no such key
    [InlineData("imk_bootstrap_not-the-configured-one-but-long-enough")]
    public async Task When_a_key_is_unknown_it_is_refused(string key)
    {
        using var stranger = system.ApiClient(key);

        using var response = await stranger.GetAsync("/api/v1/images");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task When_a_key_is_created_with_an_unknown_role_or_a_past_expiry_the_400_says_what_is_wrong()
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = "bad", tenant = "tenant-a", roles = new[] { "root" }, expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        Assert.Contains("one or more of viewer, onboarder, distributor, operator, admin", detail, StringComparison.Ordinal);
        Assert.Contains("expiresAt must be in the future", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("catalog", "/api/v1/images")]
    [InlineData("catalog", "/internal/v1/api-keys/abcdefghijkl")]
    [InlineData("distribution", "/api/v1/vims")]
    public async Task When_anyone_but_the_api_calls_a_service_behind_it_the_call_is_refused_and_health_still_answers(string service, string path)
    {
        using var direct = new HttpClient { BaseAddress = system.Services[service].Address };
        direct.DefaultRequestHeaders.Add("X-Caller-Id", "spoofed");
        direct.DefaultRequestHeaders.Add("X-Caller-Tenant", "tenant-a");
        direct.DefaultRequestHeaders.Add("X-Caller-Roles", "admin");

        using var response = await direct.GetAsync(path);
        using var health = await direct.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    async Task<JsonObject> CreateKeyAsync(string name, string tenant, string[] roles, DateTimeOffset? expiresAt = null)
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = system.Unique(name), tenant, roles, expiresAt });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating a key answered {(int)response.StatusCode}: {body}");
        return body;
    }
}
