namespace ImageManager.Cli.Tests;

/// <summary>Lists as tables for people and as the Api's JSON for scripts, a page or every page.</summary>
[Collection(CliCollection.Name)]
public sealed class ListingTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_images_are_listed_as_a_table_there_is_a_row_per_image_with_its_status()
    {
        var prefix = system.Name("listed");
        var (first, second) = (await system.CreateImageAsync($"{prefix}-a"), await system.CreateImageAsync($"{prefix}-b"));

        var result = await system.RunAsync("image", "list", "--name-prefix", prefix);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"ID\s+NAME\s+VERSION\s+KIND\s+STATUS", result.Stdout);
        Assert.Matches($@"{first}\s+{prefix}-a-\w+\s+1\.0\.0\s+vm-image\s+queued", result.Stdout);
        Assert.Matches($@"{second}\s+{prefix}-b-\w+\s+1\.0\.0\s+vm-image\s+queued", result.Stdout);
    }

    [Fact]
    public async Task When_images_are_listed_as_json_with_all_and_a_limit_of_one_next_is_followed_to_every_page()
    {
        var prefix = system.Name("paged");
        Guid[] ids = [await system.CreateImageAsync($"{prefix}-a"), await system.CreateImageAsync($"{prefix}-b"), await system.CreateImageAsync($"{prefix}-c")];

        var onePage = await system.RunAsync("image", "list", "--name-prefix", prefix, "--limit", "1", "-o", "json");
        var all = await system.RunAsync("image", "list", "--name-prefix", prefix, "--limit", "1", "--all", "-o", "json");

        Assert.True(onePage.ExitCode == 0, onePage.ToString());
        Assert.Single(onePage.Json()["images"]!.AsArray());
        Assert.NotNull(onePage.Json()["next"]);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(ids.Order(), all.Json()["images"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).Order());
        Assert.Null(all.Json()["next"]);
    }

    [Fact]
    public async Task When_VIMs_are_listed_the_registered_ones_are_shown()
    {
        var (first, second) = await system.GlanceVimsAsync();

        var table = await system.RunAsync("vim", "list", "--region", "cli");
        var json = await system.RunAsync("vim", "show", first, "-o", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches($@"{first}\s+openstack\s+http://127\.0\.0\.1", table.Stdout);
        Assert.Matches($@"{second}\s+openstack\s+http://127\.0\.0\.1", table.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(first, json.Json()["id"]!.GetValue<string>());
    }
}
