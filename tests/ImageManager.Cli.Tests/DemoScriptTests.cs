using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using ImageManager.Testing;

namespace ImageManager.Cli.Tests;

/// <summary>
/// The README's one-minute demo (<c>docs/demo.sh</c>) run as a newcomer runs it, with bash, curl, jq and qemu-img, against
/// this fixture's system and the two local Glance instances; and the README showing the script as it is.
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class DemoScriptTests(CliSystemFixture system)
{
    static readonly string Script = Path.Combine(RepositoryPaths.Root, "docs", "demo.sh");

    [Fact]
    public async Task When_the_demo_script_runs_against_a_system_the_image_ends_active_on_both_Glance_VIMs()
    {
        var prefix = system.Name("demo");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        var run = await CliWrap.Cli.Wrap("bash").WithArguments([Script]).WithWorkingDirectory(RepositoryPaths.Root)
            .WithEnvironmentVariables(new Dictionary<string, string?>
            {
                ["IMAGEMANAGER_URL"] = system.ApiAddress.ToString().TrimEnd('/'),
                ["IMAGEMANAGER_API_KEY"] = system.AdminKey,
                ["DEMO_GLANCE1"] = Infrastructure.Glance1.ToString(),
                ["DEMO_GLANCE2"] = Infrastructure.Glance2.ToString(),
                ["DEMO_VIM_PREFIX"] = prefix,
            })
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(bound.Token);

        // Kept for the README, which shows what the demo prints.
        await File.WriteAllTextAsync(Path.Combine(RepositoryPaths.TestOutput, "demo-output.txt"), run.StandardOutput);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.StandardOutput} {run.StandardError}");
        var distributionId = DistributionLine().Match(run.StandardOutput).Groups["id"].Value;
        var distribution = await system.GetJsonAsync($"/api/v1/distributions/{distributionId}");
        Assert.Equal([($"{prefix}_glance1", "active"), ($"{prefix}_glance2", "active")],
            distribution["targets"]!.AsArray().Select(t => (t!["vimId"]!.GetValue<string>(), t["state"]!.GetValue<string>())).Order());
        Assert.Matches($@"(?m)^\s+{prefix}_glance2\s+active\s+[0-9a-f-]{{36}}$", run.StandardOutput);
    }

    [Fact]
    public void When_the_README_shows_the_demo_it_shows_the_script_as_it_is()
    {
        var script = File.ReadAllText(Script);
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

        var body = script[script.IndexOf("set -euo pipefail", StringComparison.Ordinal)..].TrimEnd('\n');

        Assert.Contains($"```sh\n{body}\n```", readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"distribution (?<id>[0-9a-f-]{36}): succeeded")]
    private static partial Regex DistributionLine();
}
