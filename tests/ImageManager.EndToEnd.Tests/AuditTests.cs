using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using MySqlConnector;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Every kind of change leaves an audit record (who, what, when, from where, outcome), refusals too, which an admin
/// reads through the API; no record holds a secret that went through the requests, searched for in the API's answer
/// and in the table itself.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AuditTests(SystemFixture system)
{
    [Fact]
    public async Task When_changes_of_each_kind_are_made_each_is_audited_with_its_caller_and_outcome_and_no_secret()
    {
        var password = $"vim-password-{Guid.NewGuid():N}";
        var vimId = system.VimIdOf("audited");
        await Send(system.Api.PostAsJsonAsync("/api/v1/vims", new { id = vimId, type = "openstack", endpoint = "https://glance.example.net:9292/", identityUrl = "https://keystone.example.net:5000/v3/", credentials = new { username = "im", password, projectName = "p" } }));
        await Send(system.Api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/vims/{vimId}")
        {
            Content = new StringContent($$$"""{"credentials":{"username":"im","password":"{{{password}}}-2","projectName":"p"}}""", Encoding.UTF8, "application/merge-patch+json"),
        }));
        var imageId = await system.CreateImageAsync("audited");
        await Send(system.Api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}")
        {
            Content = new StringContent("""{"description":"audited"}""", Encoding.UTF8, "application/merge-patch+json"),
        }));
        var (_, certificatePem) = system.Authority.IssueRsa();
        await Send(system.Api.PostAsJsonAsync("/api/v1/certificates", new { pem = certificatePem, name = system.Unique("audited") }));
        using var keyAnswer = await system.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = system.Unique("audited"), tenant = "tenant-a", roles = new[] { "viewer" } });
        var created = (await keyAnswer.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = created["key"]!.GetValue<string>();
        var keyId = created["id"]!.GetValue<string>();
        using (var viewer = system.ApiClient(key))
        {
            await Send(viewer.DeleteAsync($"/api/v1/images/{imageId}")); // refused: a viewer deletes nothing
        }

        await Send(system.Api.DeleteAsync($"/api/v1/api-keys/{keyId}"));
        await Send(system.Api.DeleteAsync($"/api/v1/images/{imageId}"));
        await Send(system.Api.DeleteAsync($"/api/v1/vims/{vimId}"));

        var expected = new (string Action, string? Resource, string Caller, string Outcome)[]
        {
            ("vim.create", vimId, "bootstrap-admin", "succeeded"),
            ("vim.update", vimId, "bootstrap-admin", "succeeded"),
            ("image.create", imageId.ToString(), "bootstrap-admin", "succeeded"),
            ("image.update", imageId.ToString(), "bootstrap-admin", "succeeded"),
            ("certificate.create", null, "bootstrap-admin", "succeeded"),
            ("api-key.create", keyId, "bootstrap-admin", "succeeded"),
            ("image.delete", imageId.ToString(), $"key:{keyId}", "refused"),
            ("api-key.revoke", keyId, "bootstrap-admin", "succeeded"),
            ("image.delete", imageId.ToString(), "bootstrap-admin", "succeeded"),
            ("vim.delete", vimId, "bootstrap-admin", "succeeded"),
        };
        List<JsonObject> records;
        try
        {
            records = await Eventually.Get(
                () => RecordsSinceAsync(expected.Length),
                found => expected.All(e => found.Any(r => Matches(r, e))),
                TimeSpan.FromSeconds(30),
                "an audit record for each change");
        }
        catch (TimeoutException)
        {
            records = await RecordsSinceAsync(expected.Length);
        }

        var seen = string.Join("; ", records.Select(r => $"{r["action"]} {r["resourceId"]} {r["caller"]} {r["outcome"]}"));
        Assert.All(expected, e => Assert.True(records.Any(r => Matches(r, e)), $"no record {e}; recorded: {seen}"));

        // Requests come from the test's address; the bus's own records (other tests' onboardings) from the broker.
        Assert.All(records.Where(r => r["method"]!.GetValue<string>() != "AMQP"), r => Assert.Equal("127.0.0.1", r["source"]!.GetValue<string>()));
        var answer = string.Join("\n", records.Select(r => r.ToJsonString()));
        await using var connection = new MySqlConnection(system.CatalogConnection);
        await connection.OpenAsync();
        await using var dump = new MySqlCommand("SELECT GROUP_CONCAT(CONCAT_WS('|', caller, tenant, action, method, path, resource_id, source, status, outcome) SEPARATOR '\\n') FROM audit_records", connection);
        var table = (string)(await dump.ExecuteScalarAsync())!;
        foreach (var secret in new[] { password, key, key[(key.LastIndexOf('_') + 1)..], system.AdminKey, system.ServiceToken })
        {
            Assert.DoesNotContain(secret, answer, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, table, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task When_a_non_admin_asks_for_the_audit_trail_it_is_refused_with_403()
    {
        using var answer = await system.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = system.Unique("operator"), tenant = "tenant-a", roles = new[] { "operator" } });
        using var operatorClient = system.ApiClient((await answer.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>());

        using var response = await operatorClient.GetAsync("/api/v1/audit");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    async Task<List<JsonObject>> RecordsSinceAsync(int atLeast)
    {
        var page = await system.GetJsonAsync($"/api/v1/audit?limit={Math.Max(200, atLeast)}");
        return page["records"]!.AsArray().Select(r => r!.AsObject()).ToList();
    }

    static bool Matches(JsonObject record, (string Action, string? Resource, string Caller, string Outcome) expected) =>
        record["action"]!.GetValue<string>() == expected.Action
        && (expected.Resource is null || record["resourceId"]?.GetValue<string>() == expected.Resource)
        && record["caller"]!.GetValue<string>() == expected.Caller
        && record["outcome"]!.GetValue<string>() == expected.Outcome
        && record["at"] is not null;

    static async Task Send(Task<HttpResponseMessage> request) => (await request).Dispose();
}
