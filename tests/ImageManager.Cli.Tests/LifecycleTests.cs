namespace ImageManager.Cli.Tests;

/// <summary>An image's and a VIM's life through the CLI alone: change, deactivate, delete; register, probe, remove.</summary>
[Collection(CliCollection.Name)]
public sealed class LifecycleTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_an_image_is_updated_deactivated_reactivated_and_deleted_the_cli_shows_each_change()
    {
        var imageId = (await system.ActiveImageAsync("changed")).ToString();

        var updated = await system.RunAsync("image", "update", imageId, "--description", "patched by the CLI", "--tag", "cli", "-o", "json");
        var deactivated = await system.RunAsync("image", "deactivate", imageId, "-o", "json");
        var reactivated = await system.RunAsync("image", "reactivate", imageId);
        var deleted = await system.RunAsync("image", "delete", imageId);
        var gone = await system.RunAsync("image", "show", imageId);

        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Equal("patched by the CLI", updated.Json()["description"]!.GetValue<string>());
        Assert.Equal("cli", updated.Json()["tags"]![0]!.GetValue<string>());
        Assert.True(deactivated.ExitCode == 0, deactivated.ToString());
        Assert.Equal("deactivated", deactivated.Json()["status"]!.GetValue<string>());
        Assert.True(reactivated.ExitCode == 0, reactivated.ToString());
        Assert.Matches(@"status\s+active", reactivated.Stdout);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains($"Deleted image {imageId}.", deleted.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, gone.ExitCode);
    }

    [Fact]
    public async Task When_a_VIM_is_added_probed_updated_and_removed_the_cli_shows_each_change()
    {
        var vimId = system.Name("cli-vim");

        var added = await system.RunAsync("vim", "add", vimId, "--endpoint", Testing.Infrastructure.Glance2.ToString(), "--region", "cli-lifecycle", "--tag", "a");
        var probed = await system.RunAsync("vim", "probe", vimId, "-o", "json");
        var updated = await system.RunAsync("vim", "update", vimId, "--tag", "b", "-o", "json");
        var removed = await system.RunAsync("vim", "remove", vimId);
        var gone = await system.RunAsync("vim", "show", vimId);

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"Registered VIM {vimId} (openstack,", added.Stdout, StringComparison.Ordinal);
        Assert.True(probed.ExitCode == 0, probed.ToString());
        Assert.Equal("healthy", probed.Json()["state"]!.GetValue<string>());
        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Equal("b", updated.Json()["tags"]![0]!.GetValue<string>());
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(3, gone.ExitCode);
    }
}
