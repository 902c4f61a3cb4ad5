using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Catalog.Tests.Images;

/// <summary>
/// Changes racing each other on one image: whichever loses is told so (409, or 404 once the image is gone; 412 when its
/// If-Match no longer holds), never a 500, and the answer says what happened.
/// </summary>
public sealed class ImageRaceTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    const int Rounds = 25;

    [Fact]
    public async Task When_patches_race_a_delete_every_loser_gets_409_or_404_with_a_reason()
    {
        var answers = new List<(string What, HttpStatusCode Status, string Body)>();
        for (var round = 0; round < Rounds; round++)
        {
            var image = await app.CreateImageAsync($"race-{Guid.NewGuid():N}", new { tags = new[] { "a" }, properties = new Dictionary<string, string> { ["k"] = "v" } });
            var id = image["id"]!.GetValue<string>();
            var patches = Enumerable.Range(0, 3).Select(n => SendAsync($"PATCH {n}", () => app.PatchAsync(id,
                $$$"""{"description": "round {{{round}}} patch {{{n}}}", "tags": ["t{{{n}}}", "u{{{n}}}"], "properties": {"k": null, "p{{{n}}}": "x"}}""")));
            var delete = SendAsync("DELETE", () => app.CreateClient().DeleteAsync($"/api/v1/images/{id}"));
            answers.AddRange(await Task.WhenAll([delete, .. patches]));
        }

        var failures = answers.Where(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Conflict)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5).Select(f => $"{f.What}: {(int)f.Status} {f.Body}")));
        foreach (var (what, status, body) in answers.Where(a => a.Status != HttpStatusCode.OK))
        {
            var detail = JsonNode.Parse(body)?["detail"]?.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(detail), $"{what} answered {(int)status} without a detail: {body}");
        }
    }

    [Fact]
    public async Task When_an_image_is_deleted_before_a_patch_is_saved_the_patch_gets_404_saying_it_is_gone()
    {
        var id = (await app.CreateImageAsync($"gone-{Guid.NewGuid():N}"))["id"]!.GetValue<string>();
        using (var deleted = await app.CreateClient().DeleteAsync($"/api/v1/images/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var patched = await app.PatchAsync(id, """{"tags": ["late"]}""");

        Assert.Equal(HttpStatusCode.NotFound, patched.StatusCode);
        Assert.Contains(id, (await patched.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    static async Task<(string What, HttpStatusCode Status, string Body)> SendAsync(string what, Func<Task<HttpResponseMessage>> send)
    {
        using var response = await send();
        return (what, response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
