using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using Npgsql;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The VIM registry: credentials stored encrypted and never shown, merge-patch edits, removal, probes.</summary>
[Collection(SystemCollection.Name)]
public sealed class VimRegistryTests(SystemFixture system)
{
    const string Password = "s3cret-Pa55word-never-shown";

    [Fact]
    public async Task When_a_vim_is_registered_with_credentials_they_are_stored_encrypted_and_never_shown()
    {
        var id = await system.RegisterVimAsync("keystone", new Uri("https://glance.example.net:9292/"), new Dictionary<string, object?>
        {
            ["identityUrl"] = "https://keystone.example.net:5000/v3/",
            ["credentials"] = new { username = "imagemanager", password = Password, projectName = "images" },
        });

        using var shown = await system.Api.GetAsync($"/api/v1/vims/{id}");
        var body = await shown.Content.ReadAsStringAsync();
        using var listed = await system.Api.GetAsync("/api/v1/vims");

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.True(JsonNode.Parse(body)!["hasCredentials"]!.GetValue<bool>());
        Assert.DoesNotContain(Password, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await StoredCredentialsAsync(id);
        Assert.NotNull(stored);
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("imagemanager", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vim_is_patched_the_patch_is_merged_unnamed_credentials_stay_and_what_it_sets_to_null_is_cleared()
    {
        var id = await system.RegisterVimAsync("patched", new Uri("https://glance.example.net:9292/"), new Dictionary<string, object?>
        {
            ["identityUrl"] = "https://keystone.example.net:5000/v3/",
            ["credentials"] = new { applicationCredentialId = "app-1", applicationCredentialSecret = Password },
            ["region"] = "north",
            ["tags"] = new[] { "edge" },
        });
        var before = await StoredCredentialsAsync(id);

        var patched = await PatchAsync(id, """{"tags": ["edge", "canary"], "limits": {"bandwidthBytesPerSecond": 1048576}, "region": null}""");
        var after = await StoredCredentialsAsync(id);
        var cleared = await PatchAsync(id, """{"identityUrl": null, "credentials": null}""");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(["edge", "canary"], patched.Body["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(1048576, patched.Body["limits"]!["bandwidthBytesPerSecond"]!.GetValue<long>());
        Assert.Equal(4, patched.Body["limits"]!["maxConcurrentUploads"]!.GetValue<int>());
        Assert.Null(patched.Body["region"]);
        Assert.True(patched.Body["hasCredentials"]!.GetValue<bool>());
        Assert.NotNull(after); // kept: the patch did not name them (re-encrypted, so the bytes may differ)
        Assert.NotNull(before);
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.False(cleared.Body["hasCredentials"]!.GetValue<bool>());
        Assert.Null(await StoredCredentialsAsync(id));
    }

    [Theory]
    [InlineData("""{"id": "other"}""", "id")]
    [InlineData("""{"type": "oci-registry"}""", "type")]
    [InlineData("""{"tls": {"caCertificates": "not a certificate"}}""", "tls.caCertificates")]
    [InlineData("""{"limits": {"maxConcurrentUploads": 0}}""", "limits.maxConcurrentUploads")]
    [InlineData("""{"endpoint": "ftp://glance.example.net/"}""", "endpoint")]
    [InlineData("""{"identityUrl": "https://keystone.example.net/v3/"}""", "credentials")]
    public async Task When_a_patch_breaks_a_rule_it_is_refused_naming_the_field_and_nothing_changes(string patch, string field)
    {
        var id = await system.RegisterVimAsync($"refused-{field.Replace('.', '-')}", new Uri("https://glance.example.net:9292/"));

        var refused = await PatchAsync(id, patch);
        using var unchanged = await system.Api.GetAsync($"/api/v1/vims/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.Body["errors"]![field]);
        var vim = (await unchanged.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("https://glance.example.net:9292/", 4), (vim["endpoint"]!.GetValue<string>(), vim["limits"]!["maxConcurrentUploads"]!.GetValue<int>()));
    }

    [Fact]
    public async Task When_vims_are_probed_a_live_one_is_healthy_and_what_a_dead_one_said_is_recorded()
    {
        var live = await system.RegisterGlanceAsync("probe-live", Infrastructure.Glance1);
        var dead = await system.RegisterGlanceAsync("probe-dead", new Uri("http://127.0.0.1:9/"));

        using var liveProbe = await system.Api.PostAsync($"/api/v1/vims/{live}/probe", null);
        using var deadProbe = await system.Api.PostAsync($"/api/v1/vims/{dead}/probe", null);

        var liveHealth = (await liveProbe.Content.ReadFromJsonAsync<JsonObject>())!;
        var deadHealth = (await deadProbe.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("healthy", null), (liveHealth["state"]!.GetValue<string>(), liveHealth["lastError"]?.GetValue<string>()));
        Assert.Contains("unreachable", deadHealth["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("unhealthy", "unreachable"), (deadHealth["state"]!.GetValue<string>(), deadHealth["reason"]!.GetValue<string>()));
        Assert.NotNull(deadHealth["lastProbeAt"]);
    }

    [Fact]
    public async Task When_a_vim_has_unfinished_targets_its_removal_is_refused_until_they_are_done()
    {
        var dead = await system.RegisterGlanceAsync("removed-dead", new Uri("http://127.0.0.1:9/"));
        var imageId = await system.CreateImageAsync("vim-removal");
        await system.UploadAsync(imageId, TestImage.Random(2048));
        await system.WaitForStatusAsync(imageId, "active");
        var distribution = await system.DistributeAsync(imageId, dead);
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/distributions/{distribution}"), d => d["targetCount"]?.GetValue<int>() == 1,
            TimeSpan.FromSeconds(30), "the distribution to start");

        using var busy = await system.Api.DeleteAsync($"/api/v1/vims/{dead}");
        await system.WaitForDistributionAsync(distribution);
        using var removed = await system.Api.DeleteAsync($"/api/v1/vims/{dead}");
        using var gone = await system.Api.GetAsync($"/api/v1/vims/{dead}");

        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    async Task<(HttpStatusCode Status, JsonObject Body)> PatchAsync(string id, string patch)
    {
        using var response = await system.Api.PatchAsync($"/api/v1/vims/{id}", new StringContent(patch, System.Text.Encoding.UTF8, "application/merge-patch+json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>() ?? []);
    }

    async Task<string?> StoredCredentialsAsync(string id)
    {
        await using var connection = new NpgsqlConnection(system.DistributionConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT protected_credentials FROM vims WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() as string;
    }

    [Fact]
    public async Task When_vims_are_listed_they_come_a_page_at_a_time_in_id_order()
    {
        var region = system.Unique("paged");
        var ids = new List<string>();
        foreach (var name in new[] { "paged-c", "paged-a", "paged-b" })
        {
            ids.Add(await system.RegisterVimAsync(name, new Uri("http://127.0.0.1:9/"), new Dictionary<string, object?> { ["region"] = region }));
        }

        var first = await system.GetJsonAsync($"/api/v1/vims?region={region}&limit=2");
        var second = await system.GetJsonAsync($"/api/v1/vims?region={region}&limit=2&marker={first["next"]!.GetValue<string>()}");
        using var tooMany = await system.Api.GetAsync("/api/v1/vims?limit=1001");

        var expected = ids.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected[..2], first["vims"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));
        Assert.Equal(expected[2..], second["vims"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));
        Assert.Null(second["next"]);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }
}
