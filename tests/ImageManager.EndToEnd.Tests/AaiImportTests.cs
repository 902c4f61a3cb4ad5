using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using Npgsql;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// VIMs imported from ONAP A&amp;AI's cloud regions (<c>POST /api/v1/vims/imports/aai</c>) against the fixture's A&amp;AI
/// simulator: each region with an OpenStack esr-system-info becomes VIM <c>{cloud-owner}_{cloud-region-id}</c> reached
/// through the region's Keystone with the region's credentials; a repeat changes nothing; a region gone from A&amp;AI is
/// reported and kept. Tests of this class share the A&amp;AI inventory and run one after the other (one collection).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AaiImportTests(SystemFixture system) : IAsyncLifetime
{
    VimSimulator.VimSimulator _vims = null!;

    public async Task InitializeAsync()
    {
        _vims = await VimSimulator.VimSimulator.StartAsync();
        system.Aai.Clear();
    }

    public async Task DisposeAsync()
    {
        system.Aai.Clear();
        await _vims.DisposeAsync();
    }

    string Owner => $"e2e-{system.RunId}";

    /// <summary>A region whose esr-system-info names the VIM simulator's Keystone, with a user of its own there; its Glance is in the catalog.</summary>
    JsonObject KeystoneRegion(string regionId, string password)
    {
        var user = $"aai-{regionId}";
        _vims.Keystone.AddUser(user, password, project: $"project-{regionId}");
        var vimId = $"{Owner}_{regionId}";
        _vims.RequireKeystone(vimId);
        _vims.Keystone.AddImageEndpoint(regionId, _vims.EndpointOf(vimId));
        return AaiSimulator.CloudRegion(Owner, regionId, _vims.Keystone.IdentityUrl, user, password,
            new Dictionary<string, JsonNode?> { ["default-tenant"] = $"project-{regionId}" });
    }

    async Task<(HttpStatusCode Status, JsonObject Body)> ImportAsync()
    {
        using var response = await system.Api.PostAsync("/api/v1/vims/imports/aai", null);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>() ?? []);
    }

    static (int Created, int Updated, int Unchanged) Counts(JsonObject report) =>
        (report["created"]!.GetValue<int>(), report["updated"]!.GetValue<int>(), report["unchanged"]!.GetValue<int>());

    static IEnumerable<string> Ids(JsonObject report, string list) => report[list]!.AsArray().Select(v => v is JsonObject o ? o["vimId"]!.GetValue<string>() : v!.GetValue<string>());

    [Fact]
    public async Task When_a_region_is_imported_from_aai_an_image_is_distributed_to_it_with_the_regions_own_credentials()
    {
        var password = $"esr-{Guid.NewGuid():N}";
        var regionId = $"RegionA{system.RunId}";
        system.Aai.Put(KeystoneRegion(regionId, password));
        var vimId = $"{Owner}_{regionId}";
        var imageId = await system.CreateImageAsync("from-aai");
        var bytes = TestImage.Random(40_000);
        await system.UploadAsync(imageId, bytes);
        await system.WaitForStatusAsync(imageId, "active");

        var (status, report) = await ImportAsync();
        var vim = await system.GetJsonAsync($"/api/v1/vims/{vimId}");
        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vimId));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 0, 0), Counts(report));
        Assert.Equal(1, report["regions"]!.GetValue<int>());
        Assert.Equal(("openstack", _vims.Keystone.IdentityUrl.AbsoluteUri.TrimEnd('/'), regionId), (vim["type"]!.GetValue<string>(), vim["identityUrl"]!.GetValue<string>().TrimEnd('/'), vim["region"]!.GetValue<string>()));
        Assert.Contains("aai", vim["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(vim["hasCredentials"]!.GetValue<bool>());
        Assert.Equal("active", done["targets"]![0]!["state"]!.GetValue<string>());
        Assert.Equal(bytes.Sha512, Assert.Single(_vims.ImagesOf(vimId)).Sha512);
        Assert.True(_vims.Keystone.Logins > 0);
        Assert.DoesNotContain(password, report.ToJsonString() + vim.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, await StoredCredentialsAsync(vimId) ?? "", StringComparison.Ordinal);
        Assert.Contains(system.Aai.Requests, r => r.Contains("depth=all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_import_runs_again_nothing_changes_a_changed_password_is_an_update_and_a_vanished_region_is_reported_not_deleted()
    {
        var (first, second) = ($"RegionB{system.RunId}", $"RegionC{system.RunId}");
        system.Aai.Put(KeystoneRegion(first, "first-password"));
        system.Aai.Put(KeystoneRegion(second, "second-password"));

        var imported = await ImportAsync();
        var credentialsBefore = await StoredCredentialsAsync($"{Owner}_{first}");
        var repeated = await ImportAsync();
        var credentialsAfterRepeat = await StoredCredentialsAsync($"{Owner}_{first}");
        system.Aai.Put(KeystoneRegion(first, "changed-password"));
        system.Aai.Remove(Owner, second);
        var changed = await ImportAsync();
        using var kept = await system.Api.GetAsync($"/api/v1/vims/{Owner}_{second}");

        Assert.Equal((HttpStatusCode.OK, (2, 0, 0)), (imported.Status, Counts(imported.Body)));
        Assert.Equal((HttpStatusCode.OK, (0, 0, 2)), (repeated.Status, Counts(repeated.Body)));
        Assert.Equal(credentialsBefore, credentialsAfterRepeat);
        Assert.Equal((HttpStatusCode.OK, (0, 1, 0)), (changed.Status, Counts(changed.Body)));
        Assert.NotEqual(credentialsBefore, await StoredCredentialsAsync($"{Owner}_{first}"));
        Assert.Contains($"{Owner}_{second}", Ids(changed.Body, "vanished"));
        Assert.DoesNotContain($"{Owner}_{first}", Ids(changed.Body, "vanished"));
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task When_a_region_cannot_be_a_vim_it_is_skipped_naming_why_and_the_others_are_imported()
    {
        var good = $"RegionD{system.RunId}";
        system.Aai.Put(KeystoneRegion(good, "good-password"));
        system.Aai.Put(AaiSimulator.CloudRegion(Owner, $"k8s{system.RunId}", new Uri("https://k8s.example.net:6443/"), "u", "p",
            new Dictionary<string, JsonNode?> { ["type"] = "kubernetes" }));
        var noEsr = AaiSimulator.CloudRegion(Owner, $"bare{system.RunId}", new Uri("https://keystone.example.net:5000/v3"), "u", "p");
        noEsr.Remove("esr-system-info-list");
        system.Aai.Put(noEsr);
        system.Aai.Put(AaiSimulator.CloudRegion(Owner, $"noproject{system.RunId}", new Uri("https://keystone.example.net:5000/v3"), "u", "p",
            new Dictionary<string, JsonNode?> { ["default-tenant"] = null }));

        var (status, report) = await ImportAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 0, 0), Counts(report));
        var skipped = report["skipped"]!.AsArray().ToDictionary(s => s!["vimId"]!.GetValue<string>(), s => s!["reason"]!.GetValue<string>());
        Assert.Contains("kubernetes", skipped[$"{Owner}_k8s{system.RunId}"], StringComparison.Ordinal);
        Assert.Contains("esr-system-info", skipped[$"{Owner}_bare{system.RunId}"], StringComparison.Ordinal);
        Assert.Contains("default-tenant", skipped[$"{Owner}_noproject{system.RunId}"], StringComparison.Ordinal);
        using var notRegistered = await system.Api.GetAsync($"/api/v1/vims/{Owner}_k8s{system.RunId}");
        Assert.Equal(HttpStatusCode.NotFound, notRegistered.StatusCode);
    }

    [Fact]
    public async Task When_aai_refuses_the_credentials_the_import_fails_saying_so_and_nothing_secret_is_shown()
    {
        system.Aai.Put(KeystoneRegion($"RegionE{system.RunId}", "e-password"));
        system.Aai.Accept(system.AaiAccount.Username, "a-password-image-manager-does-not-have");
        (HttpStatusCode Status, JsonObject Body) refused;
        try
        {
            refused = await ImportAsync();
        }
        finally
        {
            system.Aai.Accept(system.AaiAccount.Username, system.AaiAccount.Password);
        }

        Assert.Equal(HttpStatusCode.BadGateway, refused.Status);
        Assert.Contains("401", refused.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Aai:Password", refused.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(system.AaiAccount.Password, refused.Body.ToJsonString(), StringComparison.Ordinal);
        using var notRegistered = await system.Api.GetAsync($"/api/v1/vims/{Owner}_RegionE{system.RunId}");
        Assert.Equal(HttpStatusCode.NotFound, notRegistered.StatusCode);
    }

    async Task<string?> StoredCredentialsAsync(string id)
    {
        await using var connection = new NpgsqlConnection(system.DistributionConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT protected_credentials FROM vims WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() as string;
    }
}
