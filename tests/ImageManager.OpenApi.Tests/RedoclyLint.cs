using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using ImageManager.Testing;

namespace ImageManager.OpenApi.Tests;

/// <summary>
/// Redocly CLI (<c>@redocly/cli</c>, pinned in <c>tools/openapi-lint/package-lock.json</c>) with its recommended rules
/// (<c>tools/openapi-lint/redocly.yaml</c>), installed by <c>tools/openapi-lint/install.sh</c> when missing. It never
/// sends usage data: telemetry is off in its configuration and in its environment.
/// </summary>
public static class RedoclyLint
{
    static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tools", "openapi-lint");

    /// <summary>The problems Redocly finds in <paramref name="document"/>: rule, severity ("error" or "warn"), message and where.</summary>
    public static async Task<IReadOnlyList<LintProblem>> LintAsync(string document)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var install = await Cli.Wrap("bash").WithArguments([Path.Combine(Folder, "install.sh")])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(timeout.Token);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"tools/openapi-lint/install.sh failed: {install.StandardOutput} {install.StandardError}");
        }

        var file = Path.Combine(RepositoryPaths.TestOutput, "openapi.json");
        await File.WriteAllTextAsync(file, document, timeout.Token);
        // Through redocly.sh: it runs on a Node.js new enough for Redocly (install.sh fetches one when the machine's is older).
        var lint = await Cli.Wrap("bash")
            .WithArguments([Path.Combine(Folder, "redocly.sh"), "lint", "--config", Path.Combine(Folder, "redocly.yaml"), "--format", "json", file])
            .WithEnvironmentVariables(env => env.Set("REDOCLY_TELEMETRY", "off").Set("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
        var output = lint.StandardOutput;
        var start = output.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"redocly lint wrote no report (exit {lint.ExitCode}): {output} {lint.StandardError}");
        }

        var report = JsonNode.Parse(output[start..])!;
        return report["problems"]!.AsArray().Select(p => new LintProblem(
            p!["ruleId"]!.GetValue<string>(),
            p["severity"]!.GetValue<string>(),
            p["message"]!.GetValue<string>(),
            p["location"]?.AsArray().FirstOrDefault()?["pointer"]?.GetValue<string>())).ToList();
    }
}
