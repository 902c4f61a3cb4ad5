using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using Npgsql;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// <c>PUT /api/v1/vims</c>: many VIMs registered or brought up to date in one request, all or nothing, idempotent
/// (a repeat changes nothing, credentials are encrypted again only when they changed), through the Api's access control,
/// size limit and audit.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class VimBulkTests(SystemFixture system)
{
    static JsonObject Glance(string id, string endpoint, string? region = null) =>
        new() { ["id"] = id, ["type"] = "openstack", ["endpoint"] = endpoint, ["region"] = region };

    static JsonObject Keystone(string id, string password) => new()
    {
        ["id"] = id,
        ["type"] = "openstack",
        ["endpoint"] = "https://glance.example.net:9292/",
        ["identityUrl"] = "https://keystone.example.net:5000/v3",
        ["credentials"] = new JsonObject { ["username"] = "imagemanager", ["password"] = password, ["projectName"] = "images" },
    };

    static JsonObject Body(IEnumerable<JsonObject> vims) => new() { ["vims"] = new JsonArray([.. vims.Select(v => v.DeepClone())]) };

    async Task<(HttpStatusCode Status, JsonObject Body)> PutAsync(JsonObject body, HttpClient? client = null)
    {
        using var response = await (client ?? system.Api).PutAsJsonAsync("/api/v1/vims", body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>() ?? []);
    }

    static (int Created, int Updated, int Unchanged) Counts(JsonObject answer) =>
        (answer["created"]!.GetValue<int>(), answer["updated"]!.GetValue<int>(), answer["unchanged"]!.GetValue<int>());

    [Fact]
    public async Task When_vims_are_upserted_again_nothing_changes_and_only_what_differs_is_updated()
    {
        var (a, b, c) = (system.VimIdOf("bulk-a"), system.VimIdOf("bulk-b"), system.VimIdOf("bulk-c"));
        JsonObject[] first = [Glance(a, "https://a.example.net:9292/", "north"), Glance(b, "https://b.example.net:9292/"), Keystone(c, "first-Pa55word")];

        var created = await PutAsync(Body(first));
        var shownBefore = await system.GetJsonAsync($"/api/v1/vims/{c}");
        var credentialsBefore = await StoredCredentialsAsync(c);
        var repeated = await PutAsync(Body(first.Select(v => (JsonObject)v.DeepClone())));
        var credentialsAfterRepeat = await StoredCredentialsAsync(c);
        var shownAfterRepeat = await system.GetJsonAsync($"/api/v1/vims/{c}");
        JsonObject[] changed = [Glance(a, "https://a.example.net:9292/", "south"), Glance(b, "https://b.example.net:9292/"), Keystone(c, "second-Pa55word")];
        var updated = await PutAsync(Body(changed));

        Assert.Equal((HttpStatusCode.OK, (3, 0, 0)), (created.Status, Counts(created.Body)));
        Assert.Equal((HttpStatusCode.OK, (0, 0, 3)), (repeated.Status, Counts(repeated.Body)));
        Assert.Equal(credentialsBefore, credentialsAfterRepeat); // not encrypted again: the same bytes
        Assert.Equal(shownBefore["updatedAt"]!.ToString(), shownAfterRepeat["updatedAt"]!.ToString());
        Assert.Equal((HttpStatusCode.OK, (0, 2, 1)), (updated.Status, Counts(updated.Body)));
        Assert.NotEqual(credentialsBefore, await StoredCredentialsAsync(c));
        Assert.Equal("south", (await system.GetJsonAsync($"/api/v1/vims/{a}"))["region"]!.GetValue<string>());
        Assert.DoesNotContain("Pa55word", created.Body.ToJsonString() + updated.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_one_entry_breaks_a_rule_the_problem_names_its_index_and_field_and_nothing_is_written()
    {
        var existing = await system.RegisterVimAsync("bulk-kept", new Uri("https://kept.example.net:9292/"), new Dictionary<string, object?> { ["region"] = "kept" });
        var vims = Enumerable.Range(0, 20).Select(i => Glance(system.VimIdOf($"bulk-refused-{i}"), $"https://r{i}.example.net:9292/")).ToList();
        vims[5] = Glance(existing, "https://kept.example.net:9292/", "changed");
        vims[17]["endpoint"] = "ftp://r17.example.net/";

        var (status, problem) = await PutAsync(Body(vims));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("vims[17].endpoint", problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Single(problem["errors"]!.AsObject());
        Assert.Contains("vims[17].endpoint", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var first = await system.Api.GetAsync($"/api/v1/vims/{system.VimIdOf("bulk-refused-0")}");
        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal("kept", (await system.GetJsonAsync($"/api/v1/vims/{existing}"))["region"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_an_id_appears_twice_or_an_existing_vim_would_change_type_the_entry_is_named()
    {
        var existing = await system.RegisterVimAsync("bulk-typed", new Uri("https://typed.example.net:9292/"));
        var twice = system.VimIdOf("bulk-twice");

        var duplicate = await PutAsync(Body([Glance(twice, "https://t.example.net/"), Glance(system.VimIdOf("bulk-once"), "https://o.example.net/"), Glance(twice, "https://t2.example.net/")]));
        var retyped = await PutAsync(Body([Glance(system.VimIdOf("bulk-new"), "https://n.example.net/"),
            new JsonObject { ["id"] = existing, ["type"] = "oci-registry", ["endpoint"] = "https://registry.example.net/" }]));

        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Contains("vims[0]", duplicate.Body["errors"]!["vims[2].id"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, retyped.Status);
        Assert.Contains("openstack", retyped.Body["errors"]!["vims[1].type"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        using var notWritten = await system.Api.GetAsync($"/api/v1/vims/{system.VimIdOf("bulk-new")}");
        Assert.Equal(HttpStatusCode.NotFound, notWritten.StatusCode);
    }

    [Fact]
    public async Task When_ten_thousand_vims_come_in_one_request_of_several_mebibytes_all_are_registered_and_a_repeat_changes_nothing()
    {
        var prefix = system.VimIdOf("bulk10k");
        var vims = Enumerable.Range(0, 10_000).Select(i => Keystone($"{prefix}-{i:D5}", $"pw-{i:D5}-{Guid.NewGuid():N}")).ToList();
        var body = Body(vims);
        var size = System.Text.Encoding.UTF8.GetByteCount(body.ToJsonString());

        var created = await PutAsync(body);
        var repeated = await PutAsync(body);
        var tooMany = await PutAsync(Body([.. vims, Glance($"{prefix}-extra", "https://x.example.net/")]));

        Assert.True(size > 2 * 1024 * 1024, $"the body is {size} bytes: more than the Api's 1 MiB JSON limit");
        Assert.Equal((HttpStatusCode.OK, (10_000, 0, 0)), (created.Status, Counts(created.Body)));
        Assert.Equal((HttpStatusCode.OK, (0, 0, 10_000)), (repeated.Status, Counts(repeated.Body)));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Contains("10000", tooMany.Body["errors"]!["vims"]![0]!.GetValue<string>().Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var last = await system.GetJsonAsync($"/api/v1/vims/{prefix}-09999");
        Assert.True(last["hasCredentials"]!.GetValue<bool>());
    }

    [Fact]
    public async Task When_an_operator_upserts_in_bulk_it_is_audited_and_a_viewer_is_refused()
    {
        using var operatorClient = await system.ClientForAsync("tenant-bulk", "operator");
        using var viewer = await system.ClientForAsync("tenant-bulk", "viewer");
        var id = system.VimIdOf("bulk-audited");

        var refused = await PutAsync(Body([Glance(id, "https://audited.example.net/")]), viewer);
        var done = await PutAsync(Body([Glance(id, "https://audited.example.net/")]), operatorClient);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var records = await Eventually.Get(
            async () => (await system.GetJsonAsync("/api/v1/audit?action=vim.upsert&limit=1000"))["records"]!.AsArray().Select(r => r!.AsObject()).ToList(),
            found => found.Any(r => r["outcome"]!.GetValue<string>() == "refused") && found.Any(r => r["outcome"]!.GetValue<string>() == "succeeded" && r["caller"]!.GetValue<string>().StartsWith("key:", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "audit records of the refused and the accepted bulk upsert");
        Assert.All(records, r => Assert.Equal(("PUT", "/api/v1/vims"), (r["method"]!.GetValue<string>(), r["path"]!.GetValue<string>())));
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
