namespace ImageManager.Cli.Tests;

/// <summary><c>recall create --dry-run</c>, <c>recall create --wait</c> and <c>recall show</c> on the two local Glance VIMs.</summary>
[Collection(CliCollection.Name)]
public sealed class RecallTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_an_image_on_two_Glance_VIMs_is_recalled_the_dry_run_lists_both_and_the_recall_removes_it_from_both()
    {
        var imageId = await system.ActiveImageAsync("recalled");
        var (first, second) = await system.GlanceVimsAsync();
        await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, first, second));

        var plan = await system.RunAsync("recall", "create", imageId.ToString(), "--action", "remove", "--reason", "cve", "--cve", "CVE-2024-3094", "--dry-run", "-o", "json");
        var recall = await system.RunAsync("recall", "create", imageId.ToString(), "--action", "remove", "--reason", "cve", "--cve", "CVE-2024-3094", "--wait", "-o", "json");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal([first, second], plan.Json()["vimIds"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.True(recall.ExitCode == 0, recall.ToString());
        var done = recall.Json();
        Assert.Equal(("succeeded", 2), (done["progress"]!["outcome"]!.GetValue<string>(), done["progress"]!["counts"]!["removed"]!.GetValue<int>()));
        var show = await system.RunAsync("recall", "show", done["id"]!.GetValue<string>());
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Matches($@"{first}\s+removed", show.Stdout);
        Assert.Contains("CVE-2024-3094", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_replace_names_no_successor_the_cli_exits_with_the_api_s_reason()
    {
        var imageId = await system.ActiveImageAsync("unreplaced");

        var result = await system.RunAsync("recall", "create", imageId.ToString(), "--action", "replace", "--reason", "end-of-life");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("successorImageId", result.Stderr, StringComparison.Ordinal);
    }
}
