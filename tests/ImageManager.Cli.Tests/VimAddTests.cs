using System.Net;
using System.Net.Sockets;

namespace ImageManager.Cli.Tests;

/// <summary><c>vim add</c> probes the VIM it registered: it says so when the VIM answered, and exits 8 saying why when not.</summary>
[Collection(CliCollection.Name)]
public sealed class VimAddTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_a_VIM_that_answers_is_added_the_cli_says_it_answered_and_exits_0()
    {
        var vimId = system.Name("answers");

        var result = await system.RunAsync("vim", "add", vimId, "--endpoint", Testing.Infrastructure.Glance2.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"VIM {vimId} answered: healthy.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_VIM_that_does_not_answer_is_added_it_stays_registered_and_the_cli_exits_8_saying_why()
    {
        var vimId = system.Name("silent");

        var result = await system.RunAsync("vim", "add", vimId, "--endpoint", $"http://127.0.0.1:{ClosedPort()}/");
        var shown = await system.RunAsync("vim", "show", vimId, "-o", "json");

        Assert.True(result.ExitCode == 8, result.ToString());
        Assert.Contains($"Registered VIM {vimId}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"VIM {vimId} is registered, but it did not answer (unreachable):", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"imagemanager vim probe {vimId}", result.Stderr, StringComparison.Ordinal);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal("unhealthy", shown.Json()["health"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_VIM_is_added_without_a_probe_the_cli_exits_0_whether_it_answers_or_not()
    {
        var vimId = system.Name("unprobed");

        var result = await system.RunAsync("vim", "add", vimId, "--endpoint", $"http://127.0.0.1:{ClosedPort()}/", "--no-probe");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("answer", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: taken from the system, then given back.</summary>
    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
