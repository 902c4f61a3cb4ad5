using System.Text.RegularExpressions;

namespace ImageManager.Cli.Tests;

/// <summary>Tables that fit 80 and 120 columns without breaking a cell, every column with --wide, and clean piped output.</summary>
[Collection(CliCollection.Name)]
public sealed class TableWidthTests(CliSystemFixture system)
{
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task When_images_are_listed_in_a_narrow_terminal_every_line_fits_and_no_cell_is_broken(int columns)
    {
        var prefix = system.Name("narrow");
        var imageId = await system.CreateImageAsync($"{prefix}-image");

        var result = await system.RunInColumnsAsync(columns, "image", "list", "--name-prefix", prefix);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Stdout);
        Assert.All(lines, line => Assert.True(line.Length <= columns, $"{line.Length} > {columns}: '{line}'"));
        Assert.Matches(@"^ID\s+NAME\s+VERSION\s+(KIND\s+)?STATUS", lines[0]);
        Assert.Matches($@"{imageId.ToString()[^12..]}\s+{prefix}-image-\w+\s+1\.0\.0\s+(vm-image\s+)?queued", lines[1]);
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public async Task When_wide_is_asked_for_or_the_output_is_piped_every_column_and_the_full_id_are_shown_without_trailing_spaces()
    {
        var prefix = system.Name("wide");
        var imageId = await system.CreateImageAsync($"{prefix}-image");

        var wide = await system.RunInColumnsAsync(80, "image", "list", "--name-prefix", prefix, "--wide");
        var piped = await system.RunAsync("image", "list", "--name-prefix", prefix);

        foreach (var result in new[] { wide, piped })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Matches(@"^ID\s+NAME\s+VERSION\s+KIND\s+STATUS\s+SIZE\s+UPDATED$", Lines(result.Stdout)[0]);
            Assert.Contains(imageId.ToString(), result.Stdout, StringComparison.Ordinal);
            Assert.All(Lines(result.Stdout), line => Assert.Equal(line.TrimEnd(), line));
        }
    }

    [Fact]
    public async Task When_an_images_locations_are_shown_in_80_columns_the_vim_and_its_state_stay_whole()
    {
        var imageId = await system.ActiveImageAsync("located");
        var (vimId, _) = await system.GlanceVimsAsync();
        var distributed = await system.RunAsync("distribute", imageId.ToString(), "--vim", vimId, "--wait", "-q");
        Assert.True(distributed.ExitCode == 0, distributed.ToString());

        var result = await system.RunInColumnsAsync(80, "image", "locations", imageId.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Stdout);
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} > 80: '{line}'"));
        Assert.Contains("STATE", lines[0], StringComparison.Ordinal);
        Assert.Single(lines, line => line.Contains(vimId, StringComparison.Ordinal) && Regex.IsMatch(line, @"\bactive\b"));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task When_a_distribution_is_followed_to_its_end_in_a_narrow_terminal_its_counts_read_as_words_and_no_cell_is_json(int columns)
    {
        var imageId = await system.ActiveImageAsync($"counted-{columns}");
        var (first, second) = await system.GlanceVimsAsync();

        var result = await system.RunInColumnsAsync(columns, "distribute", imageId.ToString(), "--vim", first, "--vim", second, "--wait", "-q");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Stdout);
        Assert.All(lines, line => Assert.True(line.Length <= columns, $"{line.Length} > {columns}: '{line}'"));
        Assert.Single(lines, line => Regex.IsMatch(line, @"^counts\s+2 active$"));
        Assert.DoesNotContain(lines, line => line.Contains('{', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task When_a_VIM_and_a_recall_are_shown_in_a_narrow_terminal_their_objects_are_summed_up_not_json(int columns)
    {
        var imageId = await system.ActiveImageAsync($"summed-{columns}");
        var (first, _) = await system.GlanceVimsAsync();
        await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, first));

        var vim = await system.RunInColumnsAsync(columns, "vim", "show", first);
        var recall = await system.RunInColumnsAsync(columns, "recall", "create", imageId.ToString(), "--action", "remove", "--reason", "other",
            "--text", "narrow", "--vim", first, "--wait");

        foreach (var result in new[] { vim, recall })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.All(Lines(result.Stdout), line => Assert.True(line.Length <= columns, $"{line.Length} > {columns}: '{line}'"));
            Assert.DoesNotContain(Lines(result.Stdout), line => line.Contains('{', StringComparison.Ordinal));
        }

        Assert.Matches(@"(?m)^health\s+state healthy,", vim.Stdout);
        Assert.Matches(@"(?m)^reason\s+kind other, text narrow$", recall.Stdout);
        Assert.Matches(@"(?m)^counts\s+1 removed$", recall.Stdout);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task When_the_show_and_list_commands_run_in_a_narrow_terminal_every_line_fits_and_no_cell_is_json(int columns)
    {
        var imageId = (await system.ActiveImageAsync($"listed-{columns}")).ToString();
        var (first, second) = await system.GlanceVimsAsync();
        var distributionId = (await system.DistributeAsync(Guid.Parse(imageId), first, second)).ToString();
        await system.WaitForDistributionAsync(Guid.Parse(distributionId));
        string[][] commands =
        [
            ["image", "show", imageId], ["image", "list", "--limit", "20"], ["image", "locations", imageId],
            ["vim", "list", "--limit", "20"], ["vim", "show", second], ["vim", "images", first, "--limit", "20"],
            ["distribution", "list", "--image-id", imageId], ["distribution", "show", distributionId], ["distribution", "targets", distributionId],
            ["receipt", "keys"], ["subscription", "list"],
        ];

        foreach (var command in commands)
        {
            var result = await system.RunInColumnsAsync(columns, command);

            Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result}");
            Assert.All(Lines(result.Stdout), line => Assert.True(line.Length <= columns, $"{string.Join(' ', command)}: {line.Length} > {columns}: '{line}'"));
            Assert.DoesNotContain(Lines(result.Stdout), line => line.Contains("{\"", StringComparison.Ordinal));
        }
    }

    static List<string> Lines(string stdout) => [.. stdout.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0)];
}
