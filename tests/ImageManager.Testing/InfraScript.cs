using CliWrap;
using CliWrap.Buffered;

namespace ImageManager.Testing;

/// <summary><c>infra/infra.sh</c>, as the tests call it: to make virtual hosts and users, and to break and mend the infrastructure.</summary>
public static class InfraScript
{
    /// <summary>Runs <c>infra/infra.sh</c> with <paramref name="arguments"/>; its output, or an exception with its output when it fails.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var result = await Cli.Wrap("bash")
            .WithArguments([Path.Combine(RepositoryPaths.Root, "infra", "infra.sh"), .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra.sh {string.Join(' ', arguments)} failed: {result.StandardOutput} {result.StandardError}");
        }

        return result.StandardOutput;
    }
}
