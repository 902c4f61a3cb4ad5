using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Catalog.Tests.Images;

/// <summary><c>GET /images</c>: filters, orders, keyset paging and <c>version=latest</c>, on the real MariaDB.</summary>
public sealed class ImageListTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_every_filter_is_given_at_once_only_the_images_matching_all_of_them_are_listed()
    {
        var vendor = Unique("vendor");
        var wanted = await app.CreateImageAsync(Unique("fw"), new { vendor, tags = new[] { "edge", "5g" }, properties = new Dictionary<string, string> { ["hw"] = "x86" } });
        await app.CreateImageAsync(Unique("fw"), new { vendor, tags = new[] { "edge" }, properties = new Dictionary<string, string> { ["hw"] = "x86" } });
        await app.CreateImageAsync(Unique("fw"), new { vendor, tags = new[] { "edge", "5g" }, properties = new Dictionary<string, string> { ["hw"] = "arm" } });
        await app.CreateImageAsync(Unique("fw"), new { vendor = Unique("other"), tags = new[] { "edge", "5g" }, properties = new Dictionary<string, string> { ["hw"] = "x86" } });

        var found = await ListAsync($"vendor={vendor}&tag=edge&tag=5g&property=hw=x86&kind=software-package&status=queued&namePrefix=fw-");

        Assert.Equal([wanted["id"]!.GetValue<string>()], Ids(found));
        var image = found["images"]![0]!;
        Assert.Equal(["5g", "edge"], image["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("x86", image["properties"]!["hw"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_images_are_listed_a_page_at_a_time_no_row_repeats_or_drops_even_while_rows_are_added()
    {
        var vendor = Unique("pager");
        var created = new List<string>();
        foreach (var version in new[] { "b", "a", "c", "a2", "b2", "c2", "d" })
        {
            created.Add((await app.CreateImageAsync($"paged-{version}-{vendor}", new { vendor }))["id"]!.GetValue<string>());
        }

        var seen = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var page = await ListAsync($"vendor={vendor}&sort=name:desc&limit=3" + (marker is null ? "" : $"&marker={marker}"));
            seen.AddRange(Ids(page));
            marker = page["next"]?.GetValue<string>();
            if (pages++ == 0)
            {
                // A row that sorts before the marker, added mid-listing, does not shift the following pages.
                await app.CreateImageAsync($"paged-z-{vendor}", new { vendor });
            }
        }
        while (marker is not null && pages < 10);

        var byName = await ListAsync($"vendor={vendor}&sort=name:desc&limit=100");
        var expected = Ids(byName).Where(created.Contains).ToList();
        Assert.Equal(expected, seen);
        Assert.Equal(7, seen.Distinct().Count());
    }

    [Fact]
    public async Task When_several_sort_keys_are_given_the_list_is_sorted_on_each_in_turn_with_the_id_breaking_ties()
    {
        var vendor = Unique("sorted");
        foreach (var (name, version) in new[] { ("s-b", "1"), ("s-a", "2"), ("s-a", "1"), ("s-b", "2") })
        {
            await app.CreateImageAsync($"{name}-{vendor}", new { vendor, version });
        }

        var sorted = await ListAsync($"vendor={vendor}&sort=name:asc,version:desc");

        Assert.Equal(
            [($"s-a-{vendor}", "2"), ($"s-a-{vendor}", "1"), ($"s-b-{vendor}", "2"), ($"s-b-{vendor}", "1")],
            sorted["images"]!.AsArray().Select(i => (i!["name"]!.GetValue<string>(), i["version"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData(new[] { "1.2.0", "1.10.0", "1.9.3" }, "1.10.0")]
    [InlineData(new[] { "2.0.0-rc.1", "1.9.0", "2.0.0-rc.2" }, "2.0.0-rc.2")]
    [InlineData(new[] { "v3.1", "3.0.9", "3.1.0-beta" }, "v3.1")]
    [InlineData(new[] { "2024-01", "release-b", "2023-12" }, "2023-12")] // not semantic versions: the last uploaded
    public async Task When_version_latest_is_asked_for_the_newest_active_version_is_listed(string[] versions, string latest)
    {
        var name = Unique("latest");
        foreach (var version in versions)
        {
            var id = (await app.CreateImageAsync(name, new { version }))["id"]!.GetValue<string>();
            await app.MakeActiveAsync(id);
        }

        var found = await ListAsync($"name={name}&version=latest");

        Assert.Equal([latest], found["images"]!.AsArray().Select(i => i!["version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_a_version_is_excluded_or_not_active_latest_leaves_it_out()
    {
        var name = Unique("latest-excluded");
        var v1 = (await app.CreateImageAsync(name, new { version = "1.0.0" }))["id"]!.GetValue<string>();
        await app.MakeActiveAsync(v1);
        var v2 = (await app.CreateImageAsync(name, new { version = "2.0.0", excludeFromLatest = true }))["id"]!.GetValue<string>();
        await app.MakeActiveAsync(v2);
        await app.CreateImageAsync(name, new { version = "3.0.0" }); // still queued

        var found = await ListAsync($"name={name}&version=latest");

        Assert.Equal([v1], Ids(found));
    }

    [Theory]
    [InlineData("colour=blue", "colour")]
    [InlineData("sort=colour", "sort")]
    [InlineData("sort=name:sideways", "sort")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("marker=not-a-marker", "marker")]
    [InlineData("version=latest", "version")]
    [InlineData("status=sleeping", "status")]
    [InlineData("createdAfter=yesterday", "createdAfter")]
    [InlineData("property=novalue", "property")]
    [InlineData("kind=firmware", "kind")]
    public async Task When_a_list_query_is_bad_it_is_refused_with_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await _http.GetAsync($"/api/v1/images?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey(parameter), problem.ToJsonString());
    }

    [Fact]
    public async Task When_a_marker_comes_from_another_order_it_is_refused()
    {
        var vendor = Unique("marker");
        await app.CreateImageAsync(Unique("m"), new { vendor });
        await app.CreateImageAsync(Unique("m"), new { vendor });
        var marker = (await ListAsync($"vendor={vendor}&limit=1&sort=name"))["next"]!.GetValue<string>();

        using var response = await _http.GetAsync($"/api/v1/images?vendor={vendor}&limit=1&sort=createdAt&marker={marker}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("belongs to the order 'name:asc'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    async Task<JsonObject> ListAsync(string query)
    {
        using var response = await _http.GetAsync($"/api/v1/images?{query}");
        Assert.True(response.IsSuccessStatusCode, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    static List<string> Ids(JsonObject page) => page["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();

    static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
