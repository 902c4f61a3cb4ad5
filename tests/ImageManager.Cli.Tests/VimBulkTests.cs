using System.Text.Json.Nodes;

namespace ImageManager.Cli.Tests;

/// <summary>Many VIMs through the CLI: <c>vim apply FILE</c> (the bulk upsert) and <c>vim import-aai</c>.</summary>
[Collection(CliCollection.Name)]
public sealed class VimBulkTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_vims_are_applied_from_a_file_the_counts_are_printed_and_a_second_apply_changes_nothing()
    {
        var prefix = system.Name("cli-bulk");
        var file = Path.Combine(system.WorkDirectory, $"{prefix}.json");
        await File.WriteAllTextAsync(file, new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = $"{prefix}_{i}",
            ["type"] = "openstack",
            ["endpoint"] = $"https://glance-{i}.example.net:9292/",
            ["tags"] = new JsonArray("cli-bulk"),
        })]).ToJsonString());

        var first = await system.RunAsync("vim", "apply", file);
        var second = await system.RunAsync("vim", "apply", file, "-o", "json");
        var shown = await system.RunAsync("vim", "show", $"{prefix}_2", "-o", "json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("VIMs: 3 registered, 0 updated, 0 already as given.", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(3, second.Json()["unchanged"]!.GetValue<int>());
        Assert.Equal("cli-bulk", shown.Json()["tags"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_file_has_a_broken_entry_the_cli_names_it_and_nothing_is_registered()
    {
        var prefix = system.Name("cli-bulk-bad");
        var file = Path.Combine(system.WorkDirectory, $"{prefix}.json");
        await File.WriteAllTextAsync(file, $$"""{"vims":[{"id":"{{prefix}}_0","type":"openstack","endpoint":"https://g.example.net/"},{"id":"{{prefix}}_1","type":"openstack","endpoint":"ftp://g.example.net/"}]}""");

        var refused = await system.RunAsync("vim", "apply", file);
        var notThere = await system.RunAsync("vim", "show", $"{prefix}_0");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("vims[1].endpoint", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, notThere.ExitCode);
    }

    [Fact]
    public async Task When_no_aai_is_configured_the_import_says_so()
    {
        var refused = await system.RunAsync("vim", "import-aai");

        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("Aai:BaseUrl", refused.Stderr, StringComparison.Ordinal);
    }
}
