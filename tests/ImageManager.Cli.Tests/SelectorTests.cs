namespace ImageManager.Cli.Tests;

/// <summary>--vim, --region and --tag choose the VIMs of <c>distribute</c> and narrow those of <c>recall create</c> alike.</summary>
[Collection(CliCollection.Name)]
public sealed class SelectorTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_a_region_and_a_tag_are_given_distribute_and_recall_take_only_the_VIMs_with_both()
    {
        var imageId = await system.ActiveImageAsync("selected");
        var region = system.Name("region");
        var chosen = await system.RegisterVimAsync(system.Name("chosen"), Testing.Infrastructure.Glance1,
            new Dictionary<string, object?> { ["region"] = region, ["tags"] = new[] { "pick" } });
        var passedOver = await system.RegisterVimAsync(system.Name("passed-over"), Testing.Infrastructure.Glance2,
            new Dictionary<string, object?> { ["region"] = region, ["tags"] = new[] { "leave" } });

        var distributed = await system.RunAsync("distribute", imageId.ToString(), "--region", region, "--tag", "pick", "--wait", "-q", "-o", "json");
        // Now both hold a copy: the recall's selector, not the copies, must leave this one out.
        await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, passedOver));
        var plan = await system.RunAsync("recall", "create", imageId.ToString(), "--action", "remove", "--reason", "other", "--text", "selector",
            "--region", region, "--tag", "pick", "--dry-run", "-o", "json");

        Assert.True(distributed.ExitCode == 0, distributed.ToString());
        Assert.Equal([chosen], distributed.Json()["targets"]!.AsArray().Select(t => t!["vimId"]!.GetValue<string>()));
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal([chosen], plan.Json()["vimIds"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}
