using System.Text.Json.Nodes;

namespace ImageManager.Cli.Tests;

/// <summary><c>distribute --wait</c> and <c>distribution watch</c> on the two local Glance VIMs.</summary>
[Collection(CliCollection.Name)]
public sealed class DistributeTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_an_image_is_distributed_with_wait_to_two_Glance_VIMs_the_cli_exits_0_once_both_have_it()
    {
        var imageId = await system.ActiveImageAsync("distributed");
        var (first, second) = await system.GlanceVimsAsync();

        var result = await system.RunAsync("distribute", imageId.ToString(), "--vim", first, "--vim", second, "--wait", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var distribution = result.Json();
        Assert.Equal("completed", distribution["state"]!.GetValue<string>());
        Assert.Equal("succeeded", distribution["outcome"]!.GetValue<string>());
        Assert.Equal(2, distribution["counts"]!["active"]!.GetValue<int>());
        Assert.Contains("distribute 100% 2/2 targets", result.Stderr, StringComparison.Ordinal);
        var locations = await system.GetJsonAsync($"/api/v1/images/{imageId}/locations");
        Assert.Equal([first, second], locations["locations"]!.AsArray().Select(l => l!["vimId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_a_distribution_is_watched_each_target_is_printed_as_it_changes_and_the_cli_exits_0_at_its_end()
    {
        var imageId = await system.ActiveImageAsync("watched");
        var (first, second) = await system.GlanceVimsAsync();
        var distributionId = await system.DistributeAsync(imageId, first, second);

        var table = await system.RunAsync("distribution", "watch", distributionId.ToString());
        var json = await system.RunAsync("distribution", "watch", distributionId.ToString(), "-o", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches($@"{first}\s+active", table.Stdout);
        Assert.Matches($@"{second}\s+active", table.Stdout);
        Assert.Contains($"Distribution {distributionId} completed: succeeded.", table.Stdout, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var events = json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal("completed", events[^1]["event"]!.GetValue<string>());
        Assert.Equal("succeeded", events[^1]["data"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_target_fails_the_cli_exits_6_naming_the_outcome_and_retry_runs_the_failed_target_again()
    {
        var imageId = await system.ActiveImageAsync("failing");
        var (first, _) = await system.GlanceVimsAsync();
        var dead = await system.RegisterVimAsync(system.Name("dead"), new Uri("http://127.0.0.1:9/"));

        var result = await system.RunAsync("distribute", imageId.ToString(), "--vim", first, "--vim", dead, "--wait", "-o", "json");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("ended partially-failed (1 active, 1 failed)", result.Stderr, StringComparison.Ordinal);
        var distributionId = result.Json()["id"]!.GetValue<string>();
        var failed = result.Json()["targets"]!.AsArray().Single(t => t!["state"]!.GetValue<string>() == "failed");
        Assert.Equal(dead, failed!["vimId"]!.GetValue<string>());

        var retried = await system.RunAsync("distribution", "retry", distributionId, "--wait", "-q", "-o", "json");

        Assert.True(retried.ExitCode == 6, retried.ToString());
        Assert.Equal(distributionId, retried.Json()["retryOf"]!.GetValue<string>());
        Assert.Equal(1, retried.Json()["targetCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_a_distribution_has_finished_list_show_and_targets_report_it_and_page_its_targets()
    {
        var imageId = await system.ActiveImageAsync("reported");
        var (first, second) = await system.GlanceVimsAsync();
        var distributionId = await system.DistributeAsync(imageId, first, second);
        await system.WaitForDistributionAsync(distributionId);

        var list = await system.RunAsync("distribution", "list", "--image-id", imageId.ToString());
        var show = await system.RunAsync("distribution", "show", distributionId.ToString());
        var targets = await system.RunAsync("distribution", "targets", distributionId.ToString(), "--limit", "1", "--all", "-o", "json");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches($@"{distributionId}\s+{imageId}\s+distribution\s+completed\s+succeeded\s+2", list.Stdout);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Matches(@"outcome\s+succeeded", show.Stdout);
        Assert.Matches($@"{first}\s+active", show.Stdout);
        Assert.True(targets.ExitCode == 0, targets.ToString());
        Assert.Equal([first, second], targets.Json()["targets"]!.AsArray().Select(t => t!["vimId"]!.GetValue<string>()));
    }
}
