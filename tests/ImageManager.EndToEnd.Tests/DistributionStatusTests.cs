using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The distribution status API through the Api: counts and bytes summed from the targets, targets paged and filtered, recent distributions.</summary>
[Collection(SystemCollection.Name)]
public sealed class DistributionStatusTests(SystemFixture system)
{
    [Fact]
    public async Task When_a_distribution_ends_its_status_reports_counts_bytes_and_pages_of_targets_and_its_image_lists_it()
    {
        var image = TestImage.Random(64 * 1024);
        var imageId = await system.CreateImageAsync("status");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        var vims = new[] { "status-a", "status-b", "status-c" };
        var vimIds = new List<string>();
        foreach (var vim in vims)
        {
            vimIds.Add(await system.RegisterGlanceAsync(vim, Infrastructure.Glance2));
        }

        var id = await system.DistributeAsync(imageId, [.. vimIds]);
        var done = await system.WaitForDistributionAsync(id);

        // Three VIM ids on one Glance: a target that finds the bytes already there is skipped, nothing sent.
        var (active, skipped) = (done["counts"]!["active"]!.GetValue<int>(), done["counts"]!["skipped"]!.GetValue<int>());
        Assert.Equal((3, 3, (long)active * image.Bytes.Length, 1.0, 0.0),
            (done["targetCount"]!.GetValue<int>(), active + skipped, done["bytesSent"]!.GetValue<long>(),
                done["progress"]!.GetValue<double>(), done["etaSeconds"]!.GetValue<double>()));
        var first = await system.GetJsonAsync($"/api/v1/distributions/{id}/targets?limit=2");
        var second = await system.GetJsonAsync($"/api/v1/distributions/{id}/targets?limit=2&marker={first["next"]!.GetValue<string>()}");
        Assert.Equal(vimIds.Order(StringComparer.Ordinal), first["targets"]!.AsArray().Concat(second["targets"]!.AsArray()).Select(t => t!["vimId"]!.GetValue<string>()));
        Assert.Null(second["next"]);
        Assert.Empty((await system.GetJsonAsync($"/api/v1/distributions/{id}/targets?state=failed"))["targets"]!.AsArray());
        var listed = await system.GetJsonAsync($"/api/v1/distributions?imageId={imageId}&state=completed");
        Assert.Equal([id.ToString()], listed["distributions"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        using var bad = await system.Api.GetAsync($"/api/v1/distributions/{id}/targets?state=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance2 };
        foreach (var target in done["targets"]!.AsArray())
        {
            using var _ = await glance.DeleteAsync($"/v2/images/{target!["vimImageId"]!.GetValue<string>()}");
        }
    }

    [Fact]
    public async Task When_a_distribution_is_accepted_its_location_can_be_read_at_once_with_its_targets()
    {
        var imageId = await system.CreateImageAsync("read-at-once");
        await system.UploadAsync(imageId, TestImage.Random(16 * 1024));
        await system.WaitForStatusAsync(imageId, "active");
        var vimId = await system.RegisterGlanceAsync("read-at-once", Infrastructure.Glance2);

        // Twenty in a row, each read the moment it is accepted: before, 3 in 20 answered 404 here.
        var unreadable = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { vimId } });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            using var read = await system.Api.GetAsync(accepted.Headers.Location);
            if (read.StatusCode != HttpStatusCode.OK)
            {
                unreadable.Add($"{accepted.Headers.Location}: {(int)read.StatusCode}");
                continue;
            }

            var distribution = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal((imageId.ToString(), 1), (distribution["imageId"]!.GetValue<string>(), distribution["targetCount"]!.GetValue<int>()));
        }

        Assert.Empty(unreadable);
    }

    [Fact]
    public async Task When_a_distribution_is_accepted_its_answer_names_it_id_as_an_image_answer_does_and_keeps_the_old_name()
    {
        var imageId = await system.CreateImageAsync("answer-id");
        await system.UploadAsync(imageId, TestImage.Random(16 * 1024));
        await system.WaitForStatusAsync(imageId, "active");
        var vimId = await system.RegisterGlanceAsync("answer-id", Infrastructure.Glance2);

        using var accepted = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { vimId } });
        var answer = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = answer["id"]!.GetValue<string>();
        // distributionId stays for the clients written before id (deprecated in the OpenAPI document).
        Assert.Equal(id, answer["distributionId"]!.GetValue<string>());
        Assert.EndsWith($"/api/v1/distributions/{id}", accepted.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(id, (await system.GetJsonAsync($"/api/v1/distributions/{id}"))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_removal_is_accepted_its_location_can_be_read_at_once_with_its_targets()
    {
        var imageId = await system.CreateImageAsync("removal-read-at-once");
        await system.UploadAsync(imageId, TestImage.Random(16 * 1024));
        await system.WaitForStatusAsync(imageId, "active");
        var vimId = await system.RegisterGlanceAsync("removal-read-at-once", Infrastructure.Glance2);

        // Ten in a row, each read the moment it is accepted: before, the removal was a command and was not there yet.
        var unreadable = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var accepted = await system.Api.PostAsJsonAsync("/api/v1/removals", new { imageId, vimIds = new[] { vimId } });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            using var read = await system.Api.GetAsync(accepted.Headers.Location);
            if (read.StatusCode != HttpStatusCode.OK)
            {
                unreadable.Add($"{accepted.Headers.Location}: {(int)read.StatusCode}");
                continue;
            }

            var removal = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal((imageId.ToString(), "removal", 1), (removal["imageId"]!.GetValue<string>(), removal["kind"]!.GetValue<string>(), removal["targetCount"]!.GetValue<int>()));
        }

        Assert.Empty(unreadable);
        using var unknown = await system.Api.PostAsJsonAsync("/api/v1/removals", new { imageId, vimIds = new[] { "removal-read-at-once-nowhere" } });
        using var noneChosen = await system.Api.PostAsJsonAsync("/api/v1/removals", new { imageId, selector = new { region = "removal-read-at-once-nowhere" } });
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (unknown.StatusCode, noneChosen.StatusCode));
        Assert.Contains("removal-read-at-once-nowhere", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("selector", await noneChosen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
