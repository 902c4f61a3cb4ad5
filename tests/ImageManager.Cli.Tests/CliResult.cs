using System.Text.Json.Nodes;

namespace ImageManager.Cli.Tests;

/// <summary>How a run of the CLI ended: its exit code and what it wrote.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout as the JSON it must be with <c>--output json</c>.</summary>
    public JsonNode Json() => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException($"stdout is not JSON: {this}");

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout: {Stdout}{Environment.NewLine}stderr: {Stderr}";
}
